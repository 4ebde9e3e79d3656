// Connection churn through one target: bench/churn-client.mjs opens N short connections (one
// 16-byte echo each, then close) against an echo upstream, on the load side, while the target's
// process tree is sampled. Also counts the tree's open descriptors before and after, so a proxy
// that leaks sockets on close shows up.
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { briefError } from "./log.mjs";
import { HOST } from "./ports.mjs";
import { reapedChildCpuSeconds, treeFds, TreeMeter } from "./proc-tree.mjs";
import { startProcess } from "./processes.mjs";

const SAMPLE_MS = 200;
const GRACE_SECONDS = 15;
const FD_SETTLE_MS = 3000; // how long closed sockets may take to leave the proxy's fd table

async function fdsSettled(pid, target, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let n = treeFds(pid);
  while (n !== null && n > target && Date.now() < deadline) {
    await sleep(100);
    n = treeFds(pid);
  }
  return n;
}

/** One churn visit of `target` over `echo` (upstreams.mjs). Returns one raw row. */
export async function measureChurn(ctx, target, echo, round) {
  const { churnConns, churnConcurrency, churnSeconds } = ctx.settings;
  const row = { target: target.name, round, ok: false, connections: churnConns, concurrency: churnConcurrency };
  let proxy = null;
  try {
    if (echo.proc.exited) throw new Error(`echo upstream exited (${echo.proc.exitInfo()})`);
    proxy = await target.start(ctx, echo.port);
    const port = proxy ? proxy.port : echo.port;
    if (proxy) {
      await sleep(300);
      row.proxyFdsBefore = treeFds(proxy.proc.pid);
    }
    const meter = proxy ? new TreeMeter(proxy.proc.pid) : null;
    const echoMeter = new TreeMeter(echo.proc.pid);
    meter?.start();
    echoMeter.start();
    const sampler = setInterval(() => {
      meter?.sample();
      echoMeter.sample();
    }, SAMPLE_MS);
    const cpu0 = reapedChildCpuSeconds();
    const [cmd, args] = ctx.place("load", process.execPath, [
      join(ctx.benchDir, "churn-client.mjs"),
      HOST,
      String(port),
      String(churnConns),
      String(churnConcurrency),
      String(churnSeconds),
    ]);
    const client = await startProcess("churn-client", cmd, args);
    const finished = await client.waitExit((churnSeconds + GRACE_SECONDS) * 1000);
    clearInterval(sampler);
    const px = meter?.stop();
    const up = echoMeter.stop();
    if (!finished) {
      await client.stop(500);
      throw new Error(`churn client did not finish within ${churnSeconds + GRACE_SECONDS} s`);
    }
    await sleep(20);
    let result;
    try {
      result = JSON.parse(client.stdout.trim().split("\n").pop());
    } catch {
      throw new Error(`churn client failed (${client.exitInfo()})${client.tailText()}`);
    }
    Object.assign(row, result);
    row.clientCpuSeconds = reapedChildCpuSeconds() - cpu0;
    row.upstreamCpuSeconds = up.cpuSeconds;
    row.loadSideCpuShare = (row.clientCpuSeconds + up.cpuSeconds) / up.wallSeconds; // client start and exit included
    if (proxy) {
      if (proxy.proc.exited) {
        throw new Error(`proxy exited during churn (${proxy.proc.exitInfo()})${proxy.proc.tailText()}`);
      }
      row.proxyCpuSeconds = px.cpuSeconds;
      row.proxyCpuShare = px.cpuSeconds / result.seconds; // over the client's own duration, as in measure.mjs
      row.connPerCore = px.cpuSeconds > 0 ? result.connPerSec / row.proxyCpuShare : null;
      row.proxyRssPeakKiB = px.rssPeakKiB;
      row.proxyProcesses = px.processes;
      row.proxyFdsAfter = await fdsSettled(proxy.proc.pid, row.proxyFdsBefore, FD_SETTLE_MS);
      row.proxyFdsLeft = row.proxyFdsAfter - row.proxyFdsBefore;
    }
    if (!(result.completed > 0)) throw new Error(`no connection completed (errors: ${JSON.stringify(result.errors)})`);
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
