#!/usr/bin/env node
// Where the HTTP/1.1 proxy's time goes, per runtime: isthmus's `proxy` filter (the bench's HTTP
// config, 1 worker, pinned as the bench pins) under the bench's keep-alive load, with a CPU
// profiler on, then self time per part of the request's path (parse, route, pool and proxy
// bookkeeping, encode, runtime I/O, GC) and the top functions, over the measured window only.
//
//   node bench/profile.mjs                                   # node, deno and bun, 10 s each
//   node bench/profile.mjs --runtimes bun --seconds 20 --top 25
//
// How each runtime is profiled (the runtime itself, without the node launcher in front):
//   node  node --cpu-prof adapters/node/dist/main.mjs start -c FILE   (the bundle; positions are
//         mapped back to core/ files through its source map); written at exit
//   deno  deno 2.9.6 has no --cpu-prof: deno run --inspect=127.0.0.1:PORT ..., and the profile is
//         taken over the inspector (Profiler.start / Profiler.stop), exactly over the window
//   bun   bun --cpu-prof adapters/bun/main.ts start -c FILE; written at exit. Bun's profiler samples
//         only while JavaScript runs: time in its native event loop is not in the profile, which is
//         why the process's own CPU per request (/proc) is printed beside the profile's
// The profiles land in bench/results/profile/isthmus-<runtime>.cpuprofile (open them in Chrome
// DevTools' Performance panel or speedscope) with the summary in profile.md.
//
// Then, when strace is installed, system calls per request of a fresh isthmus without a profiler
// over a further load run (strace -c).
//
// Options: --runtimes node,deno,bun  --seconds 10  --warmup 3  --connections 64  --top 15
//          --interval 1000 (sampling, µs)  --syscalls 3 (seconds of strace; 0 skips).
// BENCH_UPSTREAM, BENCH_LOADGEN, BENCH_WRK_THREADS, BENCH_PIN and BENCH_PROXY_CPUS apply as in
// bench/run.mjs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build, bundlePath, staleInput } from "../adapters/build.mjs";
import { isthmusHttpProxy } from "./lib/configs.mjs";
import { analyzeProfile, profileClock } from "./lib/cpuprofile.mjs";
import { connectInspector } from "./lib/inspector.mjs";
import { httpLoad } from "./lib/load.mjs";
import { log } from "./lib/log.mjs";
import { allowedCpus, pinSelf, placer, planPinning } from "./lib/pinning.mjs";
import { freePort } from "./lib/ports.mjs";
import { TreeMeter } from "./lib/proc-tree.mjs";
import { installCleanup, startProcess } from "./lib/processes.mjs";
import { readSettings, SettingError } from "./lib/settings.mjs";
import { syscallsPerRequest } from "./lib/syscalls.mjs";
import { sourceLookup } from "./lib/sourcemap.mjs";
import { fmt } from "./lib/tables.mjs";
import { findTools } from "./lib/tools.mjs";
import { startHttpUpstream } from "./lib/upstreams.mjs";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, "..");
const OUT_DIR = join(BENCH_DIR, "results", "profile");

function options(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runtimes: { type: "string", default: "node,deno,bun" },
      seconds: { type: "string", default: "10" },
      warmup: { type: "string", default: "3" },
      connections: { type: "string", default: "64" },
      top: { type: "string", default: "15" },
      interval: { type: "string", default: "1000" },
      syscalls: { type: "string", default: "3" },
    },
  });
  const int = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) {
      throw new SettingError(`--${name} ${values[name]}: expected an integer >= ${min}`);
    }
    return n;
  };
  const runtimes = values.runtimes.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = runtimes.filter((r) => !["node", "deno", "bun"].includes(r));
  if (unknown.length) throw new SettingError(`--runtimes: unknown ${unknown.join(", ")}; expected node, deno, bun`);
  return {
    runtimes,
    seconds: int("seconds", 1),
    warmup: int("warmup", 0),
    connections: int("connections", 1),
    top: int("top", 1),
    intervalUs: int("interval", 100),
    syscallSeconds: int("syscalls", 0),
  };
}

/** The deno arguments the launcher uses (adapters/deno/run-args.ts), so the profile runs what the bench runs. */
function denoRunArgs() {
  const text = readFileSync(join(ROOT, "adapters/deno/run-args.ts"), "utf8");
  const m = /DENO_RUN_ARGS[^=]*=\s*(\[[^\]]*\])/.exec(text);
  if (!m) throw new Error("cannot find DENO_RUN_ARGS in adapters/deno/run-args.ts");
  return JSON.parse(m[1]);
}

/**
 * Maps a call frame to { file, line }: the source file relative to the repository ("" for
 * natives, the URL for runtime internals) and its 1-based line, through the bundle's map for node.
 */
function frameResolver() {
  const bundle = bundlePath();
  const bundleUrl = `file://${bundle}`;
  let lookup = null;
  return (cf) => {
    const url = cf.url ?? "";
    const line = cf.lineNumber + 1;
    if (!url.startsWith("file://")) return { file: url, line };
    if (url === bundleUrl) {
      lookup ??= sourceLookup(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
      const at = lookup(cf.lineNumber, cf.columnNumber);
      return at
        ? { file: relative(ROOT, resolvePath(dirname(bundle), at.source)), line: at.line + 1 }
        : { file: "adapters/node/dist/main.mjs", line };
    }
    return { file: relative(ROOT, fileURLToPath(url)), line };
  };
}

function hrtimeUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * The command that runs one runtime's isthmus on `file`, with a profiler: "flag" (--cpu-prof,
 * the profile written to dir/name at exit), "inspector" (--inspect on port), or none.
 */
function proxyCommand(ctx, runtime, file, profiler) {
  const { tools } = ctx;
  const startArgs = ["start", "-c", file];
  const flags = profiler?.kind === "flag"
    ? [
      "--cpu-prof",
      `--cpu-prof-dir=${profiler.dir}`,
      `--cpu-prof-name=${profiler.name}`,
      `--cpu-prof-interval=${profiler.intervalUs}`,
    ]
    : [];
  if (runtime === "node") return [process.execPath, [...flags, bundlePath(), ...startArgs]];
  if (runtime === "bun") return [tools.bun.path, [...flags, join(ROOT, "adapters/bun/main.ts"), ...startArgs]];
  const [run, ...rest] = denoRunArgs();
  const inspect = profiler?.kind === "inspector" ? [`--inspect=127.0.0.1:${profiler.port}`] : [];
  return [tools.deno.path, [run, ...inspect, ...rest, join(ROOT, "adapters/deno/main.ts"), ...startArgs]];
}

async function startProxy(ctx, runtime, port, cmd, args) {
  log(`${runtime}: ${[cmd, ...args].map((a) => relative(ROOT, a) || a).join(" ")}`);
  const [pcmd, pargs] = ctx.place("proxy", cmd, args);
  return await startProcess(`isthmus-${runtime}`, pcmd, pargs, { ready: port, timeoutMs: 60_000, cwd: ROOT });
}

/** Starts one runtime's isthmus with its profiler, loads it, and returns the profile and the figures. */
async function profileRuntime(ctx, runtime, upstream, load, opt) {
  const port = await freePort();
  const file = join(ctx.tmp, `isthmus-${runtime}.yaml`);
  writeFileSync(file, isthmusHttpProxy(port, upstream.port));
  // deno 2.9.6 has no --cpu-prof: its profile comes over the inspector.
  const profiler = runtime === "deno"
    ? { kind: "inspector", port: await freePort() }
    : { kind: "flag", dir: ctx.tmp, name: `isthmus-${runtime}.cpuprofile`, intervalUs: opt.intervalUs };
  const proc = await startProxy(ctx, runtime, port, ...proxyCommand(ctx, runtime, file, profiler));
  let session = null;
  try {
    if (opt.warmup > 0) await load.run(port, opt.warmup);
    if (profiler.kind === "inspector") {
      session = await connectInspector(profiler.port);
      await session.startProfile(opt.intervalUs);
    }
    const meter = new TreeMeter(proc.pid);
    meter.start();
    const window = { mono: [hrtimeUs()], wall: [Date.now() * 1000] };
    let cpu = null;
    const result = await load.run(port, opt.seconds, () => {
      cpu = meter.stop();
      window.mono.push(hrtimeUs());
      window.wall.push(Date.now() * 1000);
    });
    let profile = null;
    if (session) {
      profile = await session.stopProfile();
      session.close();
      session = null;
    }
    // SIGTERM: a graceful stop, after which node and bun write their profile on exit.
    await proc.stop(20_000);
    if (!profile) profile = JSON.parse(readFileSync(join(profiler.dir, profiler.name), "utf8"));
    const clock = profiler.kind === "inspector" ? "inspector" : profileClock(profile);
    const [startUs, endUs] = clock === "inspector"
      ? [-Infinity, Infinity]
      : clock === "wall"
      ? window.wall
      : window.mono;
    return { runtime, result, cpu, profile, window: { startUs, endUs }, clock };
  } finally {
    session?.close();
    await proc.stop(5000);
  }
}

/**
 * System calls per request of a fresh isthmus without a profiler (whose sampling signals would
 * show up as system calls of their own), after a short warm-up.
 */
async function countSyscalls(ctx, runtime, upstream, load, opt) {
  const port = await freePort();
  const file = join(ctx.tmp, `isthmus-${runtime}-plain.yaml`);
  writeFileSync(file, isthmusHttpProxy(port, upstream.port));
  const proc = await startProxy(ctx, runtime, port, ...proxyCommand(ctx, runtime, file, null));
  try {
    await load.run(port, Math.min(opt.warmup, 2) || 1);
    // taskset execs the runtime, so the started pid is the runtime's own.
    return await syscallsPerRequest(ctx, proc.pid, load, port, opt.syscallSeconds);
  } finally {
    await proc.stop(5000);
  }
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const us = (x) => (Number.isFinite(x) ? x.toFixed(1) : "-");

/** One runtime's summary as Markdown: figures, the parts of the path, the top functions. */
function summaryMarkdown(r, a, runtimeVersion) {
  const requests = r.result.requests ?? r.result.rps * r.result.seconds;
  const procUs = r.cpu ? (r.cpu.cpuSeconds * 1e6) / requests : NaN;
  const sysUs = r.cpu ? (r.cpu.sysCpuSeconds * 1e6) / requests : NaN;
  const profUs = (a.busyMs * 1000) / requests;
  const lines = [
    `### ${runtimeVersion}`,
    "",
    `${fmt.int(r.result.rps)} req/s, p99 ${fmt.f2(r.result.p99Ms)} ms; process CPU ${us(procUs)} µs per request (user ${
      us(procUs - sysUs)
    } + sys ${us(sysUs)}, /proc, all threads); profiled main thread ${us(profUs)} µs per request (${
      fmt.int(a.samples)
    } busy samples of ${a.intervalUs} µs, ${fmt.int(a.idleSamples)} idle; clock: ${r.clock})`,
    "",
    "| part of the path | share of profiled time | µs per request |",
    "|:---|---:|---:|",
    ...a.categories.map((c) => `| ${c.name} | ${pct(c.share)} | ${us(c.share * profUs)} |`),
    "",
    "| self time | function | file:line | part |",
    "|---:|:---|:---|:---|",
    ...a.top.map((t) =>
      `| ${pct(t.share)} | ${t.fn.replace(/\|/g, "\\|")} | ${
        t.file ? `${t.file}:${t.line}` : "(native)"
      } | ${t.category} |`
    ),
    "",
  ];
  if (r.syscalls) {
    const top = r.syscalls.syscalls.slice(0, 8).map((s) =>
      `${s.name} ${s.perRequest.toFixed(2)}${s.errors ? ` (${s.errors} failed)` : ""}`
    );
    lines.push(
      `System calls per request (strace -c -f over ${fmt.int(r.syscalls.requests)} requests; strace slows ` +
        `the proxy, so only the counts matter): ${top.join(", ")}`,
      "",
    );
  }
  return lines.join("\n");
}

async function main() {
  const opt = options(process.argv.slice(2));
  const settings = readSettings(process.env, []);
  const tools = findTools(ROOT);
  for (const rt of opt.runtimes) if (tools[rt].missing) throw new SettingError(`${rt}: ${tools[rt].missing}`);
  if (opt.runtimes.includes("node") && staleInput() !== undefined) {
    log("building the node bundle");
    await build();
  }
  const cpus = allowedCpus();
  const pinning = planPinning({
    cpus,
    tasksetPath: tools.taskset.path,
    enabled: settings.pin,
    proxyCpus: settings.proxyCpus,
  });
  pinSelf(pinning, tools.taskset.path);
  const tmp = mkdtempSync(join(os.tmpdir(), "isthmus-profile-"));
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
  log(pinning.note);
  const load = httpLoad(ctx, opt.connections);
  const upstream = await startHttpUpstream(ctx);
  log(`upstream: ${upstream.label}; load: ${load.label}`);
  mkdirSync(OUT_DIR, { recursive: true });
  const resolve = frameResolver();
  const md = [
    `**isthmus HTTP/1.1 proxy profile - ${new Date().toISOString()}**`,
    "",
    `- ${pinning.note}; load: ${load.label}, ${opt.seconds} s profiled after ${opt.warmup} s warm-up; upstream: ${upstream.label}`,
    `- self time per part of the request's path and per function, over the measured window; "µs per request" = share x profiled main-thread time / requests`,
    "",
  ];
  for (const rt of opt.runtimes) {
    log(`${rt}: warm-up ${opt.warmup} s, profiled load ${opt.seconds} s`);
    const r = await profileRuntime(ctx, rt, upstream, load, opt);
    if (opt.syscallSeconds > 0 && !tools.strace.missing) {
      log(`${rt}: system calls per request (strace -c) over ${opt.syscallSeconds} s`);
      r.syscalls = await countSyscalls(ctx, rt, upstream, load, opt);
    }
    writeFileSync(join(OUT_DIR, `isthmus-${rt}.cpuprofile`), JSON.stringify(r.profile));
    const a = analyzeProfile(r.profile, { window: r.window, resolve, top: opt.top });
    const text = summaryMarkdown(r, a, tools[rt].version);
    md.push(text);
    process.stdout.write(`${text}\n`);
  }
  await upstream.proc.stop();
  writeFileSync(join(OUT_DIR, "profile.md"), md.join("\n"));
  log(`profiles and summary written to ${OUT_DIR}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    log(err instanceof SettingError ? err.message : `fatal: ${err.stack ?? err}`);
    process.exit(err instanceof SettingError ? 2 : 1);
  },
);
