// One visit of one target: start it (fresh), warm up, run the measured load while sampling the
// proxy's and the upstream's process trees, stop it. Returns one raw row for latest.json.
import { setTimeout as sleep } from "node:timers/promises";
import { readFileSync } from "node:fs";
import { cpuUsageBetween, readCpuTimes } from "./cpu-stat.mjs";
import { briefError } from "./log.mjs";
import { parseCpuList } from "./pinning.mjs";
import { TreeMeter, treeRssKiB } from "./proc-tree.mjs";

const SAMPLE_MS = 200;
const SETTLE_MS = 300; // after the port accepts, before the idle RSS reading

function sameCpus(a, b) {
  try {
    return parseCpuList(a).join(",") === parseCpuList(b).join(",");
  } catch {
    return false;
  }
}

/**
 * `load` and `upstream` come from load.mjs and upstreams.mjs. The row has the load result
 * (rps, latencies, errors), the proxy tree's CPU and RSS, req/s per proxy core, and the load
 * side's CPU (generator + upstream), or ok: false and the error.
 */
export async function measureVisit(ctx, target, upstream, load, round) {
  const row = { target: target.name, round, ok: false };
  let proxy = null;
  try {
    if (upstream.proc.exited) {
      throw new Error(`upstream exited (${upstream.proc.exitInfo()})${upstream.proc.tailText()}`);
    }
    proxy = await target.start(ctx, upstream.port);
    const port = proxy ? proxy.port : upstream.port;
    if (proxy) {
      await sleep(SETTLE_MS);
      row.proxyRssIdleKiB = treeRssKiB(proxy.proc.pid);
    }
    if (ctx.settings.warmup > 0) await load.run(port, ctx.settings.warmup);
    if (proxy?.proc.exited) {
      throw new Error(`proxy died during warm-up (${proxy.proc.exitInfo()})${proxy.proc.tailText()}`);
    }

    const logBefore = proxy ? proxy.proc.stderrLines : 0;
    const meters = [new TreeMeter(upstream.proc.pid), ...(proxy ? [new TreeMeter(proxy.proc.pid)] : [])];
    const cpuTimes0 = readCpuTimes(readFileSync("/proc/stat", "utf8"));
    for (const m of meters) m.start();
    let proxyGone = false;
    const sampler = setInterval(() => {
      for (const m of meters) if (!m.sample() && m !== meters[0]) proxyGone = true;
    }, SAMPLE_MS);
    let stats = null;
    const closeWindow = () => {
      clearInterval(sampler);
      if (stats) return;
      stats = meters.map((m) => m.stop());
      stats.cpuTimes1 = readCpuTimes(readFileSync("/proc/stat", "utf8"));
    };
    let result;
    try {
      result = await load.run(port, ctx.settings.duration, closeWindow);
    } finally {
      closeWindow();
    }
    const [up, px] = stats;
    if (proxyGone || proxy?.proc.exited) {
      throw new Error(`proxy exited during the load (${proxy.proc.exitInfo()})${proxy.proc.tailText()}`);
    }

    Object.assign(row, result);
    // Shares are over the generator's own measured duration: the sampling window is a little
    // longer (process start and exit), but the proxy does no work outside the load.
    const seconds = result.seconds > 0 ? result.seconds : up.wallSeconds;
    row.windowSeconds = up.wallSeconds;
    row.loadgenCpuSeconds = result.cpuSeconds;
    delete row.cpuSeconds;
    row.upstreamCpuSeconds = up.cpuSeconds;
    // The generator's CPU includes its start and exit, so this share is over the whole window.
    row.loadSideCpuShare = (result.cpuSeconds + up.cpuSeconds) / up.wallSeconds;
    if (px) {
      row.proxyCpuSeconds = px.cpuSeconds;
      row.proxyCpuShare = px.cpuSeconds / seconds;
      row.rpsPerCore = px.cpuSeconds > 0 ? result.rps / row.proxyCpuShare : null;
      // CPU per request, split into user space (the proxy's own code and runtime) and kernel
      // (system calls and the loopback packet work they do): over the generator's requests.
      row.proxySysCpuSeconds = px.sysCpuSeconds;
      if (result.requests > 0) {
        row.proxyUserUsPerRequest = ((px.cpuSeconds - px.sysCpuSeconds) * 1e6) / result.requests;
        row.proxySysUsPerRequest = (px.sysCpuSeconds * 1e6) / result.requests;
      }
      row.proxyRssPeakKiB = px.rssPeakKiB;
      row.proxyProcesses = px.processes;
      row.proxySamples = px.samples;
      if (ctx.pinning.pinned) row.pinnedAsPlanned = px.processes.every((p) => sameCpus(p.cpus, ctx.pinning.proxy));
      row.proxyLogLines = proxy.proc.stderrLines - logBefore;
      if (row.proxyLogLines > 0) row.proxyLogTail = proxy.proc.lines.slice(-5);
    }
    if (ctx.pinning.pinned) {
      // What else ran on the proxy's core(s) during the window (other processes; for direct, all
      // of its use), and what the hypervisor took.
      const use = cpuUsageBetween(cpuTimes0, stats.cpuTimes1, parseCpuList(ctx.pinning.proxy));
      if (use) {
        row.proxyCoreOthersShare = Math.max(0, use.busy - (px?.cpuShare ?? 0));
        row.proxyCoreIrqShare = use.irq;
        row.proxyCoreStealShare = use.steal;
      }
    }
    row.errorCount = Object.values(result.errors ?? {}).reduce((a, b) => a + b, 0);
    if (!(result.rps > 0)) {
      throw new Error(`no successful requests${row.errorCount ? ` (errors: ${JSON.stringify(result.errors)})` : ""}`);
    }
    if (load.latency) await latencyRun(row, load.latency, port, proxy);
    row.ok = true;
  } catch (err) {
    row.ok = false;
    row.error = briefError(err.message);
    row.errorDetail = err.message;
  } finally {
    if (proxy) await proxy.proc.stop();
  }
  return row;
}

/**
 * The light-load run some loads carry (load.latency: { run, seconds }): after the measured run,
 * on the same fresh target, few requests in flight, so latency is the target's own per request
 * and not the queue a saturating closed loop builds (its p99 is in-flight / throughput). Adds
 * latencyP50Ms, latencyP99Ms, latencyRps, its errors and the connections it opened to the row.
 */
async function latencyRun(row, latency, port, proxy) {
  const r = await latency.run(port, latency.seconds);
  if (proxy?.proc.exited) {
    throw new Error(`proxy exited during the latency run (${proxy.proc.exitInfo()})${proxy.proc.tailText()}`);
  }
  row.latencyP50Ms = r.p50Ms;
  row.latencyP99Ms = r.p99Ms;
  row.latencyRps = r.rps;
  row.latencyErrors = r.errors;
  row.latencyConnectionsOpened = r.connectionsOpened;
  row.errorCount += Object.values(r.errors ?? {}).reduce((a, b) => a + b, 0);
}
