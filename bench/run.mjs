#!/usr/bin/env node
// isthmus L4 benchmark: isthmus's tcp_proxy on node, deno and bun, next to anchors (direct to
// the upstream, HAProxy in mode tcp) and a baseline (a bare node:net pipe), all under one load
// generator against one local upstream, with the proxy pinned to its own core(s). Prints a text
// and a Markdown report and writes bench/results/latest.{json,md,html}.
//
//   npm run bench                        # 10 s per visit, 50 connections, 1 round
//   BENCH_QUICK=1 npm run bench          # smoke run (or `npm run bench -- --quick`)
//   BENCH_REPEAT=3 npm run bench         # 3 interleaved rounds, medians
//
// Environment (all optional):
//   BENCH_DURATION=10         seconds of measured load per visit (QUICK: 2)
//   BENCH_WARMUP=2            seconds of unmeasured load before each (QUICK: 1)
//   BENCH_CONNECTIONS=50      concurrent keep-alive connections
//   BENCH_REPEAT=1            rounds; each visits every target once, order rotated per round
//   BENCH_RUNTIMES=node,deno,bun     isthmus runtimes
//   BENCH_TARGETS=...         subset of direct, isthmus-<runtime>, haproxy, node-pipe
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
import { idleMemory } from "./lib/idle-memory.mjs";
import { httpLoad } from "./lib/load.mjs";
import { log } from "./lib/log.mjs";
import { machineInfo } from "./lib/machine.mjs";
import { measureVisit } from "./lib/measure.mjs";
import { allowedCpus, pinSelf, placer, planPinning } from "./lib/pinning.mjs";
import { installCleanup } from "./lib/processes.mjs";
import { htmlReport } from "./lib/report-html.mjs";
import { markdownReport, textReport } from "./lib/report-text.mjs";
import { runRounds } from "./lib/rounds.mjs";
import { readSettings, SettingError } from "./lib/settings.mjs";
import { summarize } from "./lib/summary.mjs";
import { fmt } from "./lib/tables.mjs";
import { l4Targets } from "./lib/targets.mjs";
import { findTools } from "./lib/tools.mjs";
import { startEchoUpstream, startHttpUpstream } from "./lib/upstreams.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, "..");
const RESULTS_DIR = join(BENCH_DIR, "results");

// What is measured under load: a load kind, the upstream that answers it and the targets that
// can carry it. An HTTP/1 proxy scenario or a Bolt/Dubbo RPC one is another such object (its
// targets' layer says what they carry; churn and idle memory need raw bytes, so layer "l4").
const SCENARIO = {
  title: "isthmus L4 benchmark (tcp_proxy, 1 worker)",
  targets: l4Targets,
  load: httpLoad,
  upstream: startHttpUpstream,
};

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

/** Picks the targets BENCH_TARGETS names (all when unset); an unknown name is an error. */
function selectTargets(all, names) {
  if (names === null) return all;
  const unknown = names.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length) {
    throw new SettingError(`BENCH_TARGETS: unknown ${unknown.join(", ")}; known: ${all.map((t) => t.name).join(", ")}`);
  }
  return all.filter((t) => names.includes(t.name));
}

/** Upper bound on the whole run, after which everything is killed: every step's own cap, summed. */
function timeBudgetSeconds(s, nTargets) {
  const load = s.repeat * nTargets * (s.warmup + s.duration + 2 * 15 + 60);
  const churn = s.churnConns > 0 ? s.repeat * nTargets * (s.churnSeconds + 15 + 60 + 5) : 0;
  const idle = s.idleConns > 0 ? nTargets * (60 + 30) : 0;
  return load + churn + idle + 120;
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

  const targets = selectTargets(SCENARIO.targets(tools, settings.runtimes), settings.targets);
  const l4 = targets.filter((t) => t.layer === "l4");
  const budget = timeBudgetSeconds(settings, targets.length);
  setTimeout(() => {
    log(`time budget of ${budget} s exceeded: stopping all children`);
    process.exit(1);
  }, budget * 1000).unref();

  log(pinning.note);
  for (const t of targets) if (t.missing) log(`${t.name}: ${t.missing}`);

  const load = SCENARIO.load(ctx);
  if (load.note) log(load.note);
  const upstream = await SCENARIO.upstream(ctx);
  log(`upstream: ${upstream.label}; load: ${load.label}`);
  const loadSection = await section(targets, settings.repeat, LOAD_METRICS, async (t, round) => {
    const name = tag(t, round, settings.repeat);
    log(`${name}: warm-up ${settings.warmup} s, load ${settings.duration} s`);
    const row = await measureVisit(ctx, t, upstream, load, round);
    log(
      row.ok
        ? `${name}: ${fmt.int(row.rps)} ${load.unit}, p99 ${fmt.f2(row.p99Ms)} ms${
          row.proxyCpuShare !== undefined
            ? `, proxy CPU ${fmt.pct(row.proxyCpuShare)}, ${fmt.int(row.rpsPerCore)} per core`
            : ""
        }${row.errorCount ? `, ${row.errorCount} errors` : ""}`
        : `${name}: FAILED: ${row.errorDetail}`,
    );
    if (row.pinnedAsPlanned === false) {
      log(
        `${name}: WARNING: a proxy process is not on CPU ${pinning.proxy}: ${
          JSON.stringify(row.proxyProcesses.map((p) => [p.comm, p.cpus]))
        }`,
      );
    }
    return row;
  });
  await upstream.proc.stop();

  let churn = null;
  if (settings.churnConns > 0) {
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
  if (settings.idleConns > 0) {
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
    schema: "isthmus-bench/2",
    title: SCENARIO.title,
    info,
    pinning,
    settings: { ...settings, load: load.label, loadNote: load.note, upstream: upstream.label },
    unit: load.unit,
    load: loadSection,
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
