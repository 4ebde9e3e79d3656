// CPU time, RSS and open file descriptors of a whole process tree, read from /proc: a target is
// the launcher, the runtime it starts and any workers (or haproxy's processes), so every figure
// is summed over the root and all its descendants.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";

function getconf(name, fallback) {
  try {
    return Number(execFileSync("getconf", [name], { encoding: "utf8" }).trim()) || fallback;
  } catch {
    return fallback;
  }
}

export const CLK_TCK = getconf("CLK_TCK", 100);
const PAGE_KIB = getconf("PAGESIZE", 4096) / 1024;
const MAX_TREE = 1000; // bounds the walk: no target of ours has anywhere near this many processes

/**
 * Fields of /proc/PID/stat we use, or null when the process is gone. `start` (clock ticks
 * after boot) tells a pid apart from a later process that reuses it.
 */
export function procStat(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const f = text.slice(close + 2).split(" "); // f[0] is field 3 (state)
  return {
    pid,
    comm,
    ppid: Number(f[1]),
    cpuTicks: Number(f[11]) + Number(f[12]), // utime + stime, all threads
    sysTicks: Number(f[12]), // stime: in the kernel (system calls, and the packet work they do)
    childCpuTicks: Number(f[13]) + Number(f[14]), // cutime + cstime of reaped children
    start: Number(f[19]),
    rssKiB: Number(f[21]) * PAGE_KIB,
  };
}

/** CPU seconds of this process's children that have exited and been reaped by it. */
export function reapedChildCpuSeconds() {
  const s = procStat(process.pid);
  return s ? s.childCpuTicks / CLK_TCK : 0;
}

// /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN; without it the tree comes from a scan.
const HAS_CHILDREN_FILE = existsSync(`/proc/self/task/${process.pid}/children`);

function childrenOf(pid) {
  const out = [];
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim();
      if (text) { for (const c of text.split(/\s+/)) out.push(Number(c)); }
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function scannedChildren() {
  const byParent = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = procStat(Number(name));
    if (!s) continue;
    if (!byParent.has(s.ppid)) byParent.set(s.ppid, []);
    byParent.get(s.ppid).push(s.pid);
  }
  return (pid) => byParent.get(pid) ?? [];
}

/** The pids of root and all its descendants (root first); empty when root is gone. */
export function treePids(root) {
  if (procStat(root) === null) return [];
  const children = HAS_CHILDREN_FILE ? childrenOf : scannedChildren();
  const out = [];
  const queue = [root];
  while (queue.length > 0 && out.length < MAX_TREE) {
    const pid = queue.shift();
    out.push(pid);
    queue.push(...children(pid));
  }
  return out;
}

/** Open file descriptors summed over the tree (sockets included); null when root is gone. */
export function treeFds(root) {
  const pids = treePids(root);
  if (pids.length === 0) return null;
  let n = 0;
  for (const pid of pids) {
    try {
      n += readdirSync(`/proc/${pid}/fd`).length;
    } catch {
      // the process ended meanwhile
    }
  }
  return n;
}

/** RSS summed over the tree, in KiB; null when root is gone. Shared pages count once per process. */
export function treeRssKiB(root) {
  const pids = treePids(root);
  if (pids.length === 0) return null;
  let sum = 0;
  for (const pid of pids) sum += procStat(pid)?.rssKiB ?? 0;
  return sum;
}

function cpusAllowed(pid) {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "?";
  } catch {
    return "?";
  }
}

/**
 * Samples one process tree during a measured run. CPU is the utime+stime delta of every process
 * seen in the tree (and the stime delta, the kernel's part, on its own): a process there at
 * start() counts from its value then, one that appears later counts from zero, one that exits
 * keeps its last sampled value. RSS is the peak, over the samples, of the tree's summed RSS.
 */
export class TreeMeter {
  constructor(root) {
    this.root = root;
    this.procs = new Map(); // "pid:start" -> { pid, comm, base, last, sysBase, sysLast, rssPeakKiB, cpus }
    this.rssPeakKiB = 0;
    this.samples = 0;
    this.t0 = 0;
    this.t1 = 0;
  }

  start() {
    this.t0 = performance.now();
    this.sample(true);
  }

  /** Reads the tree once; returns false when the root is gone. */
  sample(first = false) {
    const pids = treePids(this.root);
    if (pids.length === 0) return false;
    let rss = 0;
    for (const pid of pids) {
      const s = procStat(pid);
      if (!s) continue;
      const key = `${pid}:${s.start}`;
      let p = this.procs.get(key);
      if (!p) {
        p = {
          pid,
          comm: s.comm,
          base: first ? s.cpuTicks : 0,
          last: s.cpuTicks,
          sysBase: first ? s.sysTicks : 0,
          sysLast: s.sysTicks,
          rssPeakKiB: 0,
          cpus: cpusAllowed(pid),
        };
        this.procs.set(key, p);
      }
      p.last = s.cpuTicks;
      p.sysLast = s.sysTicks;
      p.rssPeakKiB = Math.max(p.rssPeakKiB, s.rssKiB);
      rss += s.rssKiB;
    }
    this.rssPeakKiB = Math.max(this.rssPeakKiB, rss);
    this.samples++;
    return true;
  }

  /** Takes the last sample and returns the totals over [start, stop]. */
  stop() {
    this.sample();
    this.t1 = performance.now();
    const processes = [...this.procs.values()].map((p) => ({
      pid: p.pid,
      comm: p.comm,
      cpus: p.cpus,
      cpuSeconds: (p.last - p.base) / CLK_TCK,
      sysCpuSeconds: (p.sysLast - p.sysBase) / CLK_TCK,
      rssPeakKiB: p.rssPeakKiB,
    }));
    const cpuSeconds = processes.reduce((a, p) => a + p.cpuSeconds, 0);
    const sysCpuSeconds = processes.reduce((a, p) => a + p.sysCpuSeconds, 0);
    const wallSeconds = (this.t1 - this.t0) / 1000;
    return {
      cpuSeconds,
      sysCpuSeconds,
      wallSeconds,
      cpuShare: wallSeconds > 0 ? cpuSeconds / wallSeconds : null,
      rssPeakKiB: this.rssPeakKiB,
      samples: this.samples,
      processes,
    };
  }
}
