// Where each process runs. The proxy under test gets its own core(s); the load generator, the
// upstream and the bench itself share the other(s). The placement is the same for every target,
// "direct" included (there the proxy cores stay idle), so targets differ only by the proxy.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** "0-2,5" -> [0, 1, 2, 5]. */
export function parseCpuList(text) {
  const out = [];
  for (const part of text.trim().split(",")) {
    if (!part) continue;
    const [a, b] = part.split("-").map(Number);
    if (!Number.isInteger(a) || (b !== undefined && !Number.isInteger(b))) throw new Error(`bad CPU list "${text}"`);
    for (let c = a; c <= (b ?? a) && out.length < 4096; c++) out.push(c);
  }
  return out;
}

/** The CPUs this process may run on (its affinity mask, which may be narrower than nproc). */
export function allowedCpus() {
  const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"));
  return m ? parseCpuList(m[1]) : [0];
}

/**
 * Decides the placement. `proxyCpus` is how many cores the proxy gets (taken from the low end);
 * the load side keeps at least one. Returns { pinned, proxy, load, note } where proxy and load
 * are CPU lists ("0", "1-3") when pinned, and note says what was done or why not.
 */
export function planPinning({ cpus, tasksetPath, enabled, proxyCpus }) {
  const none = (why) => ({
    pinned: false,
    proxy: null,
    load: null,
    note: `not pinned: ${why}; proxy, load generator and upstream share all CPUs`,
  });
  if (!enabled) return none("BENCH_PIN=0");
  if (!tasksetPath) return none("taskset not installed (Debian package util-linux)");
  if (cpus.length < 2) return none(`only ${cpus.length} CPU available`);
  const n = Math.min(Math.max(1, proxyCpus), cpus.length - 1);
  const proxy = cpus.slice(0, n).join(",");
  const load = cpus.slice(n).join(",");
  return {
    pinned: true,
    proxy,
    load,
    note: `proxy under test on CPU ${proxy}; load generator, upstream and bench on CPU ${load} (taskset)`,
  };
}

/**
 * The placement for a proxy with `workers` processes: pinned to `workers` cores of its own when
 * the load side keeps at least one, else (`shared: true`) proxy, load generator and upstream all
 * run on every CPU and compete for them, which the note says. A shared plan still places every
 * command explicitly, on all CPUs, since the bench itself may be pinned to the load side.
 */
export function planWorkersPinning({ cpus, tasksetPath, enabled, workers }) {
  if (!enabled || !tasksetPath || workers < cpus.length) {
    return planPinning({ cpus, tasksetPath, enabled, proxyCpus: workers });
  }
  const all = cpus.join(",");
  return {
    pinned: false,
    shared: true,
    proxy: all,
    load: all,
    note: `not pinned apart: ${workers} proxy workers on all ${cpus.length} CPUs (${all}), shared with the load ` +
      "generator and the upstream; per-core figures stay requests per proxy CPU second, but the proxy " +
      "competes with the load for the same cores",
  };
}

/**
 * Wraps commands so they start on their side's CPUs: `wrap("proxy" | "load", cmd, args)` returns
 * [cmd, args]. taskset execs the command, so the pid stays the command's own and its children
 * inherit the mask.
 */
export function placer(plan, tasksetPath) {
  return (role, cmd, args) => {
    if (!plan.pinned && !plan.shared) return [cmd, args];
    const cpus = role === "proxy" ? plan.proxy : plan.load;
    return [tasksetPath, ["-c", cpus, cmd, ...args]];
  };
}

/** Moves the bench process (all its threads) to the load side, so its sampling never runs on the proxy's core. */
export function pinSelf(plan, tasksetPath) {
  if (!plan.pinned) return;
  execFileSync(tasksetPath, ["-a", "-p", "-c", plan.load, String(process.pid)], { stdio: "ignore", timeout: 5000 });
}
