// Load generators, started on the load side. A load is
//   { kind, tool, label, unit, note, run(port, seconds, onExit?) -> Promise<result> }
// and every result has the same shape, whatever the protocol:
//   { requests, seconds, rps, p50Ms, p90Ms, p99Ms, maxMs, errors: {name: count}, cpuSeconds }
// (rps: operations per second in `unit`; cpuSeconds: the generator's own CPU over the run).
// onExit is called as soon as the generator has exited, before its output is parsed, so a
// caller's measuring window closes with the load.
// "http" is HTTP/1.1 keep-alive GETs, one outstanding per connection: wrk, or bench/loadgen.mjs.
// "rpc" is SOFARPC Bolt or Dubbo frames, pipelined: bench/rpc-loadgen.mjs keeps N requests in
// flight on each connection; its result adds unknownIds, heartbeats and connectionsOpened.
import { join } from "node:path";
import { HOST } from "./ports.mjs";
import { reapedChildCpuSeconds } from "./proc-tree.mjs";
import { startProcess } from "./processes.mjs";
import { codecFor } from "./rpc-frames.mjs";
import { SettingError } from "./settings.mjs";

const GRACE_SECONDS = 15; // beyond the asked duration before a generator counts as hung

function parseDuration(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!m) return null;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]];
  return Math.round(Number(m[1]) * scale * 1000) / 1000;
}

/** Reads wrk's --latency report into the common result shape (without cpuSeconds). */
export function parseWrk(out) {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  if (!rps) throw new Error(`cannot parse wrk output:\n${out}`);
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(out);
    return m ? parseDuration(m[1]) : null;
  };
  const total = /(\d+) requests in ([\d.]+)(\w+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const max = /^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(out);
  return {
    requests: total ? Number(total[1]) : null,
    seconds: total ? parseDuration(`${total[2]}${total[3]}`) / 1000 : null,
    rps: Number(rps[1]),
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    maxMs: max ? parseDuration(max[1]) : null,
    errors: {
      connect: sock ? Number(sock[1]) : 0,
      read: sock ? Number(sock[2]) : 0,
      write: sock ? Number(sock[3]) : 0,
      timeout: sock ? Number(sock[4]) : 0,
      status: non2xx ? Number(non2xx[1]) : 0,
    },
  };
}

/**
 * Runs one generator process to its end. Its CPU is read from this process's reaped-children
 * counters (cutime+cstime), exact once the child is reaped; nothing else of ours exits meanwhile.
 */
async function runGenerator(name, cmd, args, seconds, onExit, parse) {
  const cpu0 = reapedChildCpuSeconds();
  const proc = await startProcess(name, cmd, args);
  const finished = await proc.waitExit((seconds + GRACE_SECONDS) * 1000);
  onExit?.();
  if (!finished) {
    await proc.stop(500);
    throw new Error(`${name} did not finish within ${seconds + GRACE_SECONDS} s`);
  }
  await new Promise((r) => setTimeout(r, 20)); // the last stdout chunk may trail the exit event
  const result = parse(proc);
  result.cpuSeconds = reapedChildCpuSeconds() - cpu0;
  return result;
}

/**
 * The HTTP/1.1 keep-alive GET load over `connections` connections (BENCH_CONNECTIONS when
 * absent): wrk when installed (BENCH_LOADGEN=auto), else bench/loadgen.mjs. With `latency` ({ connections, seconds }, seconds > 0) it carries a light-load run
 * of the same tool on fewer connections for measure.mjs to make after the measured one.
 */
export function httpLoad(ctx, connections = ctx.settings.connections, latency = null) {
  const { settings, tools } = ctx;
  if (settings.loadgen === "wrk" && tools.wrk.missing) {
    throw new SettingError(`BENCH_LOADGEN=wrk but wrk is ${tools.wrk.missing}`);
  }
  const withLatency = latency && latency.seconds > 0;
  const then = withLatency
    ? `; then ${latency.seconds} s on ${latency.connections} connection${
      latency.connections > 1 ? "s" : ""
    } for latency`
    : "";
  const useWrk = settings.loadgen !== "node" && !tools.wrk.missing;
  if (useWrk) {
    const t = settings.wrkThreads;
    const generator = (c) => (port, seconds, onExit) => {
      const [cmd, args] = ctx.place("load", tools.wrk.path, [
        `-t${Math.min(t, c)}`,
        `-c${c}`,
        `-d${seconds}s`,
        "--timeout",
        "2s",
        "--latency",
        `http://${HOST}:${port}/`,
      ]);
      return runGenerator("wrk", cmd, args, seconds, onExit, (proc) => {
        if (proc.code !== 0 && !/Requests\/sec/.test(proc.stdout)) {
          throw new Error(`wrk failed (${proc.exitInfo()})${proc.tailText()}`);
        }
        return parseWrk(proc.stdout);
      });
    };
    return {
      kind: "http",
      tool: "wrk",
      label: `${tools.wrk.version} -t${t} -c${connections} --latency, HTTP/1.1 keep-alive GET${then}`,
      unit: "req/s",
      note: null,
      run: generator(connections),
      latency: withLatency ? { ...latency, inflight: 1, run: generator(latency.connections) } : null,
    };
  }
  const generator = (c) => (port, seconds, onExit) => {
    const [cmd, args] = ctx.place("load", process.execPath, [
      join(ctx.benchDir, "loadgen.mjs"),
      HOST,
      String(port),
      String(c),
      String(seconds),
    ]);
    return runGenerator("loadgen", cmd, args, seconds, onExit, parseLastJsonLine("loadgen"));
  };
  return {
    kind: "http",
    tool: "node",
    label: `bench/loadgen.mjs (node ${process.version}) ${connections} connections, HTTP/1.1 keep-alive GET${then}`,
    unit: "req/s",
    note: settings.loadgen === "node" ? "BENCH_LOADGEN=node" : `wrk ${tools.wrk.missing}: using bench/loadgen.mjs`,
    run: generator(connections),
    latency: withLatency ? { ...latency, inflight: 1, run: generator(latency.connections) } : null,
  };
}

/**
 * The pipelined RPC load: bench/rpc-loadgen.mjs on `protocol` (bolt, dubbo), `connections`
 * connections with `inflight` requests in flight on each. With `latency` ({ connections,
 * inflight, seconds }, seconds > 0) it carries a light-load run of the same generator for
 * measure.mjs to make after the measured one.
 */
export function rpcLoad(ctx, protocol, connections, inflight, latency = null) {
  const bytes = codecFor(protocol).request().length;
  const generator = (c, n) => (port, seconds, onExit) => {
    const [cmd, args] = ctx.place("load", process.execPath, [
      join(ctx.benchDir, "rpc-loadgen.mjs"),
      HOST,
      String(port),
      protocol,
      String(c),
      String(n),
      String(seconds),
    ]);
    return runGenerator("rpc-loadgen", cmd, args, seconds, onExit, parseLastJsonLine("rpc-loadgen"));
  };
  const withLatency = latency && latency.seconds > 0;
  return {
    kind: "rpc",
    tool: "rpc-loadgen",
    label:
      `bench/rpc-loadgen.mjs (node ${process.version}) ${protocol}, ${connections} connections x ${inflight} requests in flight (pipelined, ${bytes}-byte requests)${
        withLatency
          ? `; then ${latency.seconds} s at ${latency.connections} x ${latency.inflight} in flight for latency`
          : ""
      }`,
    unit: "req/s",
    note: null,
    run: generator(connections, inflight),
    latency: withLatency ? { ...latency, run: generator(latency.connections, latency.inflight) } : null,
  };
}

/** Parses a generator's last stdout line as its JSON result. */
function parseLastJsonLine(name) {
  return (proc) => {
    const line = proc.stdout.trim().split("\n").pop();
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`${name} failed (${proc.exitInfo()})${proc.tailText()}`);
    }
  };
}
