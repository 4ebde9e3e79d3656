#!/usr/bin/env node
// isthmus benchmark. L4: isthmus's tcp_proxy on node, deno and bun, next to anchors (direct to
// the upstream, HAProxy in mode tcp) and a baseline (a bare node:net pipe). HTTP/1.1: isthmus's
// `proxy` filter on each runtime next to direct, nginx proxy_pass and npm http-proxy, with 1
// worker and with N workers. RPC: SOFARPC Bolt and Dubbo through the `proxy` filter speaking X,
// 1 worker per runtime, next to direct, under a pipelined generator (bench/rpc-loadgen.mjs)
// against a pre-encoded upstream (bench/rpc-upstream.mjs) that counts the connections the proxy
// opens; a protocol isthmus does not serve yet is reported as skipped with its reason. All under
// one load generator against one local upstream per section, with the proxy pinned to its own
// core(s). Prints a text and a Markdown report and writes bench/results/latest.{json,md,html}.
//
//   npm run bench                        # 10 s per visit, 1 round, every scenario
//   BENCH_QUICK=1 npm run bench          # smoke run (or `npm run bench -- --quick`)
//   BENCH_REPEAT=3 npm run bench         # 3 interleaved rounds, medians
//   BENCH_SCENARIOS=http npm run bench   # only the HTTP/1.1 proxy sections
//   BENCH_SCENARIOS=rpc BENCH_TARGETS=direct npm run bench   # only the RPC tools, no proxy
//
// Environment (all optional):
//   BENCH_SCENARIOS=l4,http,rpc   l4: tcp_proxy load, churn, idle memory; http: HTTP/1.1 proxy, 1 and
//                             N workers; rpc: Bolt and Dubbo through the proxy filter (X), 1 worker
//   BENCH_DURATION=10         seconds of measured load per visit (QUICK: 2)
//   BENCH_WARMUP=2            seconds of unmeasured load before each (QUICK: 1)
//   BENCH_CONNECTIONS=50      concurrent keep-alive connections (L4)
//   BENCH_HTTP_CONNECTIONS=64 concurrent keep-alive connections (HTTP/1.1 proxy)
//   BENCH_RPC_PROTOCOLS=bolt,dubbo   RPC protocols, one section each (sub_protocol of X)
//   BENCH_RPC_CONNECTIONS=4   RPC connections of the load generator
//   BENCH_RPC_INFLIGHT=64     RPC requests in flight per connection (pipelined)
//   BENCH_RPC_LATENCY_INFLIGHT=1   in flight per connection in the light-load run after it, whose
//                             p99 the goal's "p99 added" reads (a saturated closed loop's p99 is
//                             in-flight / throughput: 256 / 16,000 req/s is 16 ms)
//   BENCH_HTTP_LATENCY_CONNECTIONS=1  connections of the HTTP sections' light-load run
//   BENCH_LATENCY_SECONDS=5   length of the light-load runs (at most BENCH_DURATION by default;
//                             0 skips them)
//   BENCH_HTTP_WORKERS=auto   workers of the second HTTP section (auto: BENCH_PROXY_CPUS when above
//                             1, else every CPU; 1 skips it); nginx gets as many worker_processes
//   BENCH_REPEAT=1            rounds; each visits every target once, order rotated per round
//   BENCH_RUNTIMES=node,deno,bun     isthmus runtimes
//   BENCH_TARGETS=...         subset of direct, isthmus-<runtime>, haproxy, node-pipe, nginx, http-proxy
//                             (a name applies to every section that has it)
//   BENCH_UPSTREAM=auto       auto | nginx | node  (auto: nginx when installed, else bench/upstream.mjs)
//   BENCH_LOADGEN=auto        auto | wrk | node    (auto: wrk when installed, else bench/loadgen.mjs)
//   BENCH_WRK_THREADS=1       wrk -t
//   BENCH_CHURN=20000         connections per churn visit, 0 skips churn (QUICK: 2000)
//   BENCH_CHURN_CONCURRENCY=50, BENCH_CHURN_SECONDS=30 (time cap per churn visit; QUICK: 10)
//   BENCH_IDLE_CONNS=1000     idle connections per proxy for memory per connection, 0 skips (QUICK: 200)
//   BENCH_PIN=1               0: no taskset pinning
//   BENCH_PROXY_CPUS=1        cores for the proxy under test (the rest: load generator and upstream)
//
// Only 127.0.0.1 is used. Every child runs in its own process group and is killed when this
// script exits, fails, is interrupted or overruns its time budget.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureChurn } from "./lib/churn.mjs";
import { httpGoals, rpcGoals } from "./lib/goals.mjs";
import { idleMemory } from "./lib/idle-memory.mjs";
import { httpLoad, rpcLoad } from "./lib/load.mjs";
import { log } from "./lib/log.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { measureVisit } from "./lib/measure.mjs";
import { allowedCpus, pinSelf, placer, planPinning, planWorkersPinning } from "./lib/pinning.mjs";
import { installCleanup } from "./lib/processes.mjs";
import { htmlReport } from "./lib/report-html.mjs";
import { markdownReport, textReport } from "./lib/report-text.mjs";
import { runRounds } from "./lib/rounds.mjs";
import { httpWorkerCount, readSettings, SettingError } from "./lib/settings.mjs";
import { summarize } from "./lib/summary.mjs";
import { fmt } from "./lib/tables.mjs";
import { httpTargets, l4Targets, rpcTargets } from "./lib/targets.mjs";
import { findTools } from "./lib/tools.mjs";
import { startEchoUpstream, startHttpUpstream, startRpcUpstream } from "./lib/upstreams.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, "..");
const RESULTS_DIR = join(BENCH_DIR, "results");

const LOAD_METRICS = [
  "rps",
  "p50Ms",
  "p99Ms",
  "proxyCpuShare",
  "rpsPerCore",
  "proxyRssIdleKiB",
  "proxyRssPeakKiB",
  "loadSideCpuShare",
  "proxyCoreOthersShare",
  "proxyCoreStealShare",
  "proxyUserUsPerRequest",
  "proxySysUsPerRequest",
  "upstreamConnections",
  "downstreamConnections",
  "latencyP50Ms",
  "latencyP99Ms",
  "latencyRps",
];
const CHURN_METRICS = [
  "connPerSec",
  "completed",
  "p50Ms",
  "p99Ms",
  "proxyCpuShare",
  "connPerCore",
  "proxyRssPeakKiB",
  "proxyFdsLeft",
  "loadSideCpuShare",
];

const RPC_NAMES = { bolt: "SOFARPC Bolt", dubbo: "Dubbo" };

/**
 * The load sections to measure, in report order. Each is what goes under load (its targets, all
 * of one layer or layer-free like direct), how many workers, where they are placed, the anchors
 * its per-core ratios are against, and its load and upstream (makeLoad(ctx), startUpstream(ctx)).
 * The L4 section also owns churn and idle memory.
 */
function plannedSections(settings, tools, cpus, l4Pinning) {
  const out = [];
  const http = {
    makeLoad: (ctx, plan) => httpLoad(ctx, plan.connections),
    startUpstream: (ctx) => startHttpUpstream(ctx),
  };
  // A saturating closed loop's p99 is its queue (64 connections / 20,000 req/s is 3.2 ms), so the
  // HTTP sections' "p99 added" is read from a light-load run after each measured one, as RPC's.
  const httpWithLatency = {
    ...http,
    makeLoad: (ctx, plan) =>
      httpLoad(ctx, plan.connections, {
        connections: settings.httpLatencyConnections,
        seconds: settings.latencySeconds,
      }),
  };
  if (settings.scenarios.includes("l4")) {
    out.push({
      id: "l4",
      title: "L4: tcp_proxy, 1 worker",
      workers: 1,
      connections: settings.connections,
      pinning: l4Pinning,
      targets: l4Targets(tools, settings.runtimes),
      ratios: ["haproxy"],
      ...http,
    });
  }
  if (settings.scenarios.includes("http")) {
    const n = httpWorkerCount(settings, cpus.length);
    for (const workers of n > 1 ? [1, n] : [1]) {
      out.push({
        id: `http-${workers}w`,
        title: `HTTP/1.1 keep-alive through the proxy filter, ${workers} worker${workers > 1 ? "s" : ""}`,
        workers,
        connections: settings.httpConnections,
        pinning: workers === 1 ? l4Pinning : planWorkersPinning({
          cpus,
          tasksetPath: tools.taskset.path,
          enabled: settings.pin,
          workers,
        }),
        targets: httpTargets(tools, settings.runtimes, workers),
        ratios: ["nginx", "http-proxy"],
        cpuPerRequest: true,
        goals: httpGoals,
        ...httpWithLatency,
      });
    }
  }
  if (settings.scenarios.includes("rpc")) {
    for (const protocol of settings.rpcProtocols) {
      out.push({
        id: `rpc-${protocol}`,
        title: `${RPC_NAMES[protocol]} through the proxy filter (X, sub_protocol ${protocol}), 1 worker`,
        workers: 1,
        connections: settings.rpcConnections,
        pinning: l4Pinning,
        targets: rpcTargets(tools, settings.runtimes, protocol),
        ratios: [],
        cpuPerRequest: true,
        upstreamConnections: true,
        goals: rpcGoals,
        makeLoad: (ctx, plan) =>
          rpcLoad(ctx, protocol, plan.connections, settings.rpcInflight, {
            connections: plan.connections,
            inflight: settings.rpcLatencyInflight,
            seconds: settings.latencySeconds,
          }),
        startUpstream: (ctx) => startRpcUpstream(ctx, protocol),
      });
    }
  }
  return out;
}

/** Keeps the targets BENCH_TARGETS names (all when unset); a name no section knows is an error. */
function selectTargets(sections, names) {
  if (names === null) return;
  const known = new Set(sections.flatMap((s) => s.targets.map((t) => t.name)));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new SettingError(`BENCH_TARGETS: unknown ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  }
  for (const s of sections) s.targets = s.targets.filter((t) => names.includes(t.name));
}

/** Upper bound on the whole run, after which everything is killed: every step's own cap, summed. */
function timeBudgetSeconds(s, sections) {
  let total = 120;
  for (const sec of sections) {
    const n = sec.targets.length;
    total += 30 + s.repeat * n * (s.warmup + s.duration + 2 * 15 + 60);
    if (sec.targets.some((t) => t.preflight)) total += n * 30;
    if (sec.id !== "l4") total += s.repeat * n * (s.latencySeconds + 15);
    if (sec.id === "l4") {
      if (s.churnConns > 0) total += s.repeat * n * (s.churnSeconds + 15 + 60 + 5);
      if (s.idleConns > 0) total += n * (60 + 30);
    }
  }
  return total;
}

/** Runs `repeat` interleaved rounds of `visit` and returns the section: targets with summaries and raw rounds. */
async function section(targets, repeat, metrics, visit) {
  const runnable = targets.filter((t) => !t.missing);
  const rows = await runRounds(runnable, repeat, visit);
  return {
    targets: targets.map((t) => ({
      name: t.name,
      group: t.group,
      label: t.label,
      missing: t.missing,
      summary: t.missing ? null : summarize(rows.get(t.name), metrics),
      rounds: rows.get(t.name) ?? [],
    })),
  };
}

function tag(t, round, repeat) {
  return repeat > 1 ? `${t.name} (round ${round}/${repeat})` : t.name;
}

/**
 * Asks each target with a preflight whether it can run; one that cannot becomes missing, with
 * why (isthmus refusing an RPC protocol it does not serve yet), and the section carries on.
 */
async function preflight(ctx, plan) {
  const out = [];
  for (const t of plan.targets) {
    const why = t.missing || !t.preflight ? null : await t.preflight(ctx);
    if (why) log(`${plan.id} ${t.name}: ${why}`);
    out.push(why ? { ...t, missing: why } : t);
  }
  return out;
}

/** One load section: its own upstream and placement, every target visited `repeat` times. */
async function measureSection(baseCtx, plan) {
  const { settings, tools } = baseCtx;
  const ctx = { ...baseCtx, pinning: plan.pinning, place: placer(plan.pinning, tools.taskset.path) };
  log(`${plan.title}: ${plan.pinning.note}`);
  const targets = await preflight(ctx, plan);
  const load = plan.makeLoad(ctx, plan);
  if (load.note) log(load.note);
  const upstream = await plan.startUpstream(ctx);
  log(`upstream: ${upstream.label}; load: ${load.label}`);
  const measured = await section(targets, settings.repeat, LOAD_METRICS, async (t, round) => {
    const name = `${plan.id} ${tag(t, round, settings.repeat)}`;
    log(`${name}: warm-up ${settings.warmup} s, load ${settings.duration} s`);
    const acceptedBefore = upstream.accepted?.();
    const row = await measureVisit(ctx, t, upstream, load, round);
    if (acceptedBefore !== undefined) {
      // What the upstream accepted while the target ran (a fresh proxy per visit: all it opened),
      // and what the load opened to the target: one set for the warm-up, then the measured run's
      // and the light-load run's.
      row.upstreamConnections = upstream.accepted() - acceptedBefore;
      if (row.ok) {
        row.downstreamConnections = (settings.warmup > 0 ? plan.connections : 0) + row.connectionsOpened +
          (row.latencyConnectionsOpened ?? 0);
      }
    }
    log(
      row.ok
        ? `${name}: ${fmt.int(row.rps)} ${load.unit}, p99 ${fmt.f2(row.p99Ms)} ms${
          row.proxyCpuShare !== undefined
            ? `, proxy CPU ${fmt.pct(row.proxyCpuShare)}, ${fmt.int(row.rpsPerCore)} per core`
            : ""
        }, load side CPU ${fmt.pct(row.loadSideCpuShare)}${
          row.upstreamConnections !== undefined
            ? `, upstream connections ${row.upstreamConnections} (downstream ${row.downstreamConnections})`
            : ""
        }${row.latencyP99Ms !== undefined ? `, p99 at light load ${fmt.f2(row.latencyP99Ms)} ms` : ""}${
          row.errorCount ? `, ${row.errorCount} errors` : ""
        }`
        : `${name}: FAILED: ${row.errorDetail}`,
    );
    if (row.pinnedAsPlanned === false) {
      log(
        `${name}: WARNING: a proxy process is not on CPU ${plan.pinning.proxy}: ${
          JSON.stringify(row.proxyProcesses.map((p) => [p.comm, p.cpus]))
        }`,
      );
    }
    return row;
  });
  await upstream.proc.stop();
  const out = {
    id: plan.id,
    title: plan.title,
    workers: plan.workers,
    connections: plan.connections,
    pinning: plan.pinning,
    load: load.label,
    loadNote: load.note,
    upstream: upstream.label,
    unit: load.unit,
    ratios: plan.ratios,
    cpuPerRequest: plan.cpuPerRequest ?? false,
    upstreamConnections: plan.upstreamConnections ?? false,
    latency: load.latency
      ? { connections: load.latency.connections, inflight: load.latency.inflight, seconds: load.latency.seconds }
      : null,
    targets: measured.targets,
  };
  if (plan.goals) out.goals = plan.goals(out);
  return out;
}

async function main() {
  const started = Date.now();
  const settings = readSettings(process.env, process.argv.slice(2));
  const tools = findTools(ROOT);
  const cpus = allowedCpus();
  const info = machineInfo(tools, cpus); // before pinSelf, which narrows what nproc sees
  const pinning = planPinning({
    cpus,
    tasksetPath: tools.taskset.path,
    enabled: settings.pin,
    proxyCpus: settings.proxyCpus,
  });
  pinSelf(pinning, tools.taskset.path);
  const tmp = mkdtempSync(join(os.tmpdir(), "isthmus-bench-"));
  installCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const ctx = {
    root: ROOT,
    benchDir: BENCH_DIR,
    tmp,
    tools,
    settings,
    pinning,
    place: placer(pinning, tools.taskset.path),
  };

  const plans = plannedSections(settings, tools, cpus, pinning);
  selectTargets(plans, settings.targets);
  const budget = timeBudgetSeconds(settings, plans);
  setTimeout(() => {
    log(`time budget of ${budget} s exceeded: stopping all children`);
    process.exit(1);
  }, budget * 1000).unref();

  const missing = new Map();
  for (const p of plans) for (const t of p.targets) if (t.missing) missing.set(t.name, t.missing);
  for (const [name, why] of missing) log(`${name}: ${why}`);

  const loads = [];
  for (const plan of plans) loads.push(await measureSection(ctx, plan));

  const l4 = plans.find((p) => p.id === "l4")?.targets.filter((t) => t.layer === "l4") ?? [];
  let churn = null;
  if (settings.churnConns > 0 && l4.length > 0) {
    const echo = await startEchoUpstream(ctx);
    churn = await section(l4, settings.repeat, CHURN_METRICS, async (t, round) => {
      const name = tag(t, round, settings.repeat);
      log(`${name}: churn of ${settings.churnConns} connections`);
      const row = await measureChurn(ctx, t, echo, round);
      log(
        row.ok
          ? `${name}: ${fmt.int(row.completed)} connections, ${fmt.int(row.connPerSec)} conn/s${
            row.proxyCpuShare !== undefined
              ? `, ${fmt.int(row.connPerCore)} per proxy core, fds left ${row.proxyFdsLeft}`
              : ""
          }${row.failed ? `, ${row.failed} failed` : ""}`
          : `${name}: churn FAILED: ${row.errorDetail}`,
      );
      return row;
    });
    churn.upstream = echo.label;
    await echo.proc.stop();
  }

  let idle = null;
  if (settings.idleConns > 0 && l4.length > 0) {
    const proxies = l4.filter((t) => t.group === "isthmus" || t.group === "baseline");
    const rows = [];
    for (const t of proxies) {
      if (t.missing) continue;
      log(`${t.name}: ${settings.idleConns} idle connections`);
      const r = await idleMemory(ctx, t, settings.idleConns);
      log(
        r.ok
          ? `${t.name}: ${fmt.f1(r.kibPerConn)} KiB per idle connection (upstream saw ${r.upstreamAccepted})`
          : `${t.name}: idle test FAILED: ${r.errorDetail}`,
      );
      rows.push(r);
    }
    idle = { targets: proxies.map(({ name, group, label, missing }) => ({ name, group, label, missing })), rows };
  }

  const report = {
    schema: "isthmus-bench/3",
    title: `isthmus benchmark (${plans.map((p) => p.id).join(", ")})`,
    info,
    settings,
    loads,
    churn,
    idle,
    loadavgAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    elapsedSeconds: (Date.now() - started) / 1000,
  };
  const md = markdownReport(report);
  process.stdout.write(`${textReport(report)}\nMarkdown:\n\n${md}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, "latest.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(RESULTS_DIR, "latest.md"), md);
  writeFileSync(join(RESULTS_DIR, "latest.html"), htmlReport(report));
  log(`results written to ${join(RESULTS_DIR, "latest.{json,md,html}")}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    log(err instanceof SettingError ? err.message : `fatal: ${err.stack ?? err}`);
    process.exit(err instanceof SettingError ? 2 : 1);
  },
);
