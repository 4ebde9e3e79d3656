// Per-CPU time from /proc/stat, to tell how busy the proxy's own core was with work that is not
// the proxy's (other processes on a shared machine) and how much the hypervisor took (steal).

/** CPU number -> { busy, irq, steal, total } in clock ticks since boot; empty when /proc/stat is unreadable. */
export function readCpuTimes(text) {
  const out = new Map();
  for (const line of text.split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = m[2].trim().split(/\s+/).map(Number);
    // Interrupt time is kept apart: loopback packet processing runs there, for whoever sent the
    // packets, and is charged to no process.
    const busy = user + nice + system;
    out.set(Number(m[1]), { busy, irq: irq + softirq, steal, total: busy + irq + softirq + idle + iowait + steal });
  }
  return out;
}

/**
 * Process (user+system), interrupt and steal time of `cpus` between two readings, in cores (1.0 =
 * one core for the whole interval), or null when a CPU is missing from either reading.
 */
export function cpuUsageBetween(before, after, cpus) {
  let busy = 0;
  let irq = 0;
  let steal = 0;
  for (const c of cpus) {
    const a = before.get(c);
    const b = after.get(c);
    if (!a || !b || b.total <= a.total) return null;
    const total = b.total - a.total;
    busy += (b.busy - a.busy) / total;
    irq += (b.irq - a.irq) / total;
    steal += (b.steal - a.steal) / total;
  }
  return { busy, irq, steal };
}
