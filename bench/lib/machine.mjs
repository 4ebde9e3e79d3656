// What the figures were measured on: CPU, cores, kernel, load, and every tool's version.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** Machine facts for the report; `tools` from tools.mjs, `cpus` the bench's allowed CPU list. */
export function machineInfo(tools, cpus) {
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8", timeout: 5000 }).trim()) || nproc;
  } catch {
    // no nproc: the runtime's own count stands
  }
  const mem = /^MemTotal:\s+(\d+)/m.exec(read("/proc/meminfo"));
  const version = (t) => t.version ?? t.missing;
  return {
    date: new Date().toISOString(),
    hostCpus: os.cpus().length,
    nproc,
    cpusAllowed: cpus.join(","),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(read("/proc/cpuinfo"))?.[1]?.trim() ?? os.cpus()[0]?.model ?? "?",
    memory: mem ? `${(Number(mem[1]) / 1048576).toFixed(1)} GiB` : "?",
    kernel: `${os.type()} ${os.release()}`,
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    versions: {
      node: tools.node.version,
      deno: version(tools.deno),
      bun: version(tools.bun),
      haproxy: version(tools.haproxy),
      nginx: version(tools.nginx),
      wrk: version(tools.wrk),
      httpProxy: version(tools.httpProxy),
      taskset: tools.taskset.missing ?? "util-linux taskset",
    },
  };
}
