// System calls per request of a running proxy: `strace -c -f -p PID` attached for one load run.
// strace slows the proxy down several times, so only the counts per request mean anything here,
// not the times: they say how many reads and writes one proxied request costs.
import { setTimeout as sleep } from "node:timers/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startProcess } from "./processes.mjs";

const ATTACH_MS = 500;

/** Reads `strace -c` output into [{ name, calls, errors }], most calls first. */
export function parseStraceSummary(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:(\d+)\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (m && m[3] !== "total") out.push({ name: m[3], calls: Number(m[1]), errors: Number(m[2] ?? 0) });
  }
  return out.sort((a, b) => b.calls - a.calls);
}

/**
 * Attaches strace to `pid` (all threads), runs `load.run(port, seconds)` and returns
 * { requests, syscalls: [{ name, calls, errors, perRequest }] }.
 */
export async function syscallsPerRequest(ctx, pid, load, port, seconds) {
  const file = join(ctx.tmp, `strace-${pid}.txt`);
  const [cmd, args] = ctx.place("load", ctx.tools.strace.path, ["-c", "-f", "-p", String(pid), "-o", file]);
  const strace = await startProcess("strace", cmd, args);
  try {
    await sleep(ATTACH_MS);
    if (strace.exited) throw new Error(`strace exited (${strace.exitInfo()})${strace.tailText()}`);
    const result = await load.run(port, seconds);
    // SIGINT detaches strace, which then writes its summary.
    process.kill(strace.pid, "SIGINT");
    if (!(await strace.waitExit(10_000))) throw new Error("strace did not detach within 10 s");
    const requests = result.requests ?? result.rps * result.seconds;
    const syscalls = parseStraceSummary(readFileSync(file, "utf8")).map((s) => ({
      ...s,
      perRequest: requests > 0 ? s.calls / requests : null,
    }));
    return { requests, syscalls };
  } finally {
    await strace.stop(1000);
  }
}
