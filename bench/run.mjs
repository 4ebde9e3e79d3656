#!/usr/bin/env node
// isthmus L4 benchmark: drives the tcp_proxy on each runtime, haproxy (mode tcp) and a bare
// node:net pipe proxy with one load generator against one local HTTP/1.1 upstream, one target
// at a time, and prints a table (text, then Markdown) plus bench/results/latest.json.
//
//   npm run bench                        # defaults: 10 s per target, 50 connections
//   BENCH_DURATION=2 npm run bench       # quick smoke check (or BENCH_QUICK=1 / `-- --quick`)
//
// Environment (all optional):
//   BENCH_DURATION=10        seconds of measured load per target
//   BENCH_CONNECTIONS=50     concurrent keep-alive connections
//   BENCH_WARMUP=2           seconds of unmeasured load before each measured run
//   BENCH_RUNTIMES=node,deno,bun   isthmus runtimes to measure
//   BENCH_TARGETS=...        subset of direct,isthmus-node,isthmus-deno,isthmus-bun,haproxy,node-pipe
//   BENCH_IDLE_CONNS=1000    idle connections per runtime for the memory-per-connection test (0: skip)
//   BENCH_UPSTREAM=auto      auto | nginx | node   (auto: nginx when on PATH, else built-in node:net)
//   BENCH_LOADGEN=auto       auto | wrk | node     (auto: wrk when on PATH, else bench/loadgen.mjs)
//   BENCH_REPEAT=1          rounds over all targets; each target then shows its median run (by
//                           req/s) and the req/s range: use 3+ on a noisy machine
//   BENCH_QUICK=1            duration 2 s, warmup 1 s, 200 idle connections
//
// Only 127.0.0.1 is used. Every child (upstream, proxies, load generator) runs in its own process
// group and is killed when this script exits, fails or is interrupted. CPU is utime+stime of the
// proxy process itself (for deno/bun the runtime child of the node launcher, not the launcher).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");
const HOST = "127.0.0.1";
const env = process.env;

// ---------------------------------------------------------------------------------------------
// settings

const quick = env.BENCH_QUICK === "1" || process.argv.includes("--quick");
const num = (v, dflt) => (v === undefined || v === "" || !Number.isFinite(Number(v)) ? dflt : Number(v));
const S = {
  duration: num(env.BENCH_DURATION, quick ? 2 : 10),
  connections: Math.max(1, Math.floor(num(env.BENCH_CONNECTIONS, 50))),
  warmup: num(env.BENCH_WARMUP, quick ? 1 : 2),
  runtimes: (env.BENCH_RUNTIMES ?? "node,deno,bun").split(",").map((s) => s.trim()).filter(Boolean),
  idleConns: Math.max(0, Math.floor(num(env.BENCH_IDLE_CONNS, quick ? 200 : 1000))),
  upstream: env.BENCH_UPSTREAM ?? "auto",
  loadgen: env.BENCH_LOADGEN ?? "auto",
  repeat: Math.max(1, Math.floor(num(env.BENCH_REPEAT, 1))),
  targets: env.BENCH_TARGETS ? env.BENCH_TARGETS.split(",").map((s) => s.trim()) : null,
};
if (S.duration < 1) S.duration = 1;
const wanted = (name) => S.targets === null || S.targets.includes(name);

// ---------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(`bench: ${line}\n`);

function which(cmd) {
  for (const dir of (env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  for (const dir of ["/usr/sbin", "/usr/local/sbin", "/sbin"]) if (existsSync(join(dir, cmd))) return join(dir, cmd);
  return null;
}

function firstLine(cmd, args) {
  // wrk --version exits 1 and nginx -v writes to stderr: read both streams, ignore the status.
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
  const text = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  return text.split("\n").find((l) => l.trim())?.trim() ?? "unavailable";
}

let CLK_TCK = 100;
try {
  CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {}

/** utime+stime of a process (all its threads), in seconds; null when gone. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** VmRSS in KiB; null when gone. */
function rssKiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function childrenOf(pid) {
  const out = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {}
  return out;
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

const usedPorts = new Set();
/** A port nobody listens on right now (bind :0, read it, close), never handed out twice. */
async function freePort() {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen({ host: HOST, port: 0 }, () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    if (!usedPorts.has(port)) {
      usedPorts.add(port);
      return port;
    }
  }
  throw new Error("no free port found");
}

/** Resolves once something accepts on port, rejects after timeoutMs. */
async function waitForPort(port, timeoutMs, proc) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.exited) throw new Error(`${proc.name} exited (${proc.exitInfo()})${proc.tailText()}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: HOST, port });
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listening on ${HOST}:${port} after ${timeoutMs} ms${proc ? proc.tailText() : ""}`);
}

// ---------------------------------------------------------------------------------------------
// child processes: each in its own process group, all killed on any exit

const live = new Set();

function killGroup(p, sig) {
  try {
    process.kill(-p.pid, sig);
  } catch {
    try {
      process.kill(p.pid, sig);
    } catch {}
  }
}

function killAll() {
  for (const p of live) killGroup(p, "SIGKILL");
  live.clear();
}
process.on("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    log(`${sig}: stopping all children`);
    killAll();
    process.exit(130);
  });
}
process.on("uncaughtException", (err) => {
  log(`fatal: ${err.stack ?? err}`);
  killAll();
  process.exit(1);
});

/**
 * Starts a child process. `ready` is a RegExp awaited on stdout (resolves with its match), or a
 * port number probed with TCP connects. Output is kept (last lines) for error messages; stderr
 * lines are counted so errors logged under load show up in the results.
 */
async function startProc(name, cmd, args, { ready, timeoutMs = 30_000, cwd = ROOT } = {}) {
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...env } });
  const p = {
    name,
    child,
    pid: child.pid,
    exited: false,
    code: null,
    signal: null,
    lines: [],
    stderrLines: 0,
    stdout: "",
    exitInfo() {
      return this.signal ? `signal ${this.signal}` : `code ${this.code}`;
    },
    /** ": <the most telling output line>" then the last lines of output, for error messages. */
    tailText() {
      const telling = this.lines.find((l) => /ALERT|\berror\b|Error|cannot|failed|EADDRINUSE|^isthmus: (?!listener|ready|starting)/.test(l));
      const tail = this.lines.slice(-8).join("\n    ");
      return `${telling ? `: ${telling.trim()}` : ""}${tail ? `\n    ${tail}` : ""}`;
    },
  };
  const exitPromise = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      p.exited = true;
      p.code = code;
      p.signal = signal;
      live.delete(p);
      resolve();
    });
  });
  p.exitPromise = exitPromise;
  let spawnError = null;
  child.on("error", (err) => {
    spawnError = err;
    p.exited = true;
    live.delete(p);
  });
  live.add(p);
  const keep = (line) => {
    p.lines.push(line);
    if (p.lines.length > 200) p.lines.shift();
  };
  let outWaiters = [];
  let outBuf = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (d) => {
    p.stdout += d;
    if (p.stdout.length > 1 << 20) p.stdout = p.stdout.slice(-(1 << 19));
    outBuf += d;
    let i;
    while ((i = outBuf.indexOf("\n")) >= 0) {
      keep(outBuf.slice(0, i));
      outBuf = outBuf.slice(i + 1);
    }
    for (const w of outWaiters) w();
  });
  let errBuf = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => {
    errBuf += d;
    let i;
    while ((i = errBuf.indexOf("\n")) >= 0) {
      const line = errBuf.slice(0, i);
      errBuf = errBuf.slice(i + 1);
      p.stderrLines++;
      keep(line);
    }
  });
  p.stop = async (graceMs = 3000) => {
    if (p.exited) return;
    killGroup(p, "SIGTERM");
    await Promise.race([exitPromise, sleep(graceMs)]);
    if (!p.exited) {
      killGroup(p, "SIGKILL");
      await Promise.race([exitPromise, sleep(1000)]);
    }
    // the launcher may be gone while its runtime child lingers in the group
    killGroup(p, "SIGKILL");
    live.delete(p);
  };
  if (ready === undefined) return p;
  try {
    if (typeof ready === "number") {
      await waitForPort(ready, timeoutMs, p);
      if (spawnError) throw spawnError;
      return p;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (spawnError) throw new Error(`cannot start ${cmd}: ${spawnError.message}`);
      const m = ready.exec(p.stdout);
      if (m) {
        p.match = m;
        return p;
      }
      if (p.exited) throw new Error(`${name} exited (${p.exitInfo()}) before it was ready${p.tailText()}`);
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms${p.tailText()}`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, 200);
        outWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
      outWaiters = [];
    }
  } catch (err) {
    await p.stop(1000);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// environment

const tmp = mkdtempSync(join(os.tmpdir(), "isthmus-bench-"));
process.on("exit", () => {
  try {
    rmSync(tmp, { recursive: true, force: true });
  } catch {}
});

const tools = {
  wrk: which("wrk"),
  haproxy: which("haproxy"),
  nginx: which("nginx"),
  deno: existsSync(join(ROOT, "node_modules/.bin/deno")) ? join(ROOT, "node_modules/.bin/deno") : null,
  bun: existsSync(join(ROOT, "node_modules/.bin/bun")) ? join(ROOT, "node_modules/.bin/bun") : null,
};

function machineInfo() {
  const cpuinfo = (() => {
    try {
      return readFileSync("/proc/cpuinfo", "utf8");
    } catch {
      return "";
    }
  })();
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || nproc;
  } catch {}
  let mem = "";
  try {
    const m = /^MemTotal:\s+(\d+)/m.exec(readFileSync("/proc/meminfo", "utf8"));
    if (m) mem = `${(Number(m[1]) / 1048576).toFixed(1)} GiB`;
  } catch {}
  return {
    date: new Date().toISOString(),
    nproc,
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "?",
    memory: mem,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    deno: tools.deno ? firstLine(tools.deno, ["--version"]).replace(/ \(.*$/, "") : "not installed",
    bun: tools.bun ? firstLine(tools.bun, ["--version"]) : "not installed",
    haproxy: tools.haproxy ? firstLine(tools.haproxy, ["-v"]).replace(/^HAProxy version (\S+).*/, "haproxy $1") : "not installed",
    wrk: tools.wrk ? firstLine(tools.wrk, ["--version"]).replace(/^(wrk \S+).*/, "$1") : "not installed",
    nginx: tools.nginx ? firstLine(tools.nginx, ["-v"]).replace(/^nginx version: nginx\//, "nginx ") : "not installed",
  };
}

// ---------------------------------------------------------------------------------------------
// upstream

async function startNginx() {
  const port = await freePort();
  const dir = join(tmp, "nginx");
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `# isthmus bench upstream (temporary)
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 10000; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen ${HOST}:${port} backlog=4096;
    location / { default_type text/plain; return 200 "hello, world\\n"; }
  }
}
`,
  );
  const proc = await startProc("nginx", tools.nginx, ["-e", join(dir, "error.log"), "-p", dir, "-c", conf], { ready: port, timeoutMs: 10_000 });
  return { kind: "nginx", label: `${firstLine(tools.nginx, ["-v"]).replace(/^nginx version: nginx\//, "nginx ")} (1 worker, return 200)`, port, proc };
}

async function startNodeUpstream() {
  const proc = await startProc("upstream", process.execPath, [join(HERE, "upstream.mjs"), "0"], {
    ready: /upstream: listening on [\d.]+:(\d+)/,
    timeoutMs: 10_000,
  });
  return { kind: "node", label: `built-in node:net server (node ${process.version})`, port: Number(proc.match[1]), proc };
}

async function startUpstream() {
  const choice = S.upstream;
  if (choice === "nginx" || (choice === "auto" && tools.nginx)) {
    try {
      return await startNginx();
    } catch (err) {
      if (choice === "nginx") throw err;
      log(`nginx failed to start, falling back to the built-in upstream: ${err.message}`);
    }
  }
  return startNodeUpstream();
}

// ---------------------------------------------------------------------------------------------
// load generators

function parseDuration(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (!m) return null;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]];
  return Math.round(Number(m[1]) * scale * 1000) / 1000;
}

function parseWrk(out) {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  if (!rps) throw new Error(`cannot parse wrk output:\n${out}`);
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(out);
    return m ? parseDuration(m[1]) : null;
  };
  const total = /(\d+) requests in ([\d.]+)(\w+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return {
    requests: total ? Number(total[1]) : null,
    rps: Number(rps[1]),
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    maxMs: (() => {
      const m = /^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(out);
      return m ? parseDuration(m[1]) : null;
    })(),
    errors: {
      connect: sock ? Number(sock[1]) : 0,
      read: sock ? Number(sock[2]) : 0,
      write: sock ? Number(sock[3]) : 0,
      timeout: sock ? Number(sock[4]) : 0,
      status: non2xx ? Number(non2xx[1]) : 0,
    },
  };
}

const loadgenKind = S.loadgen === "node" || (S.loadgen === "auto" && !tools.wrk) ? "node" : "wrk";

/** Runs the load generator for `seconds` against port; resolves with its result and pid. */
async function runLoad(port, seconds, onStart) {
  let proc;
  if (loadgenKind === "wrk") {
    if (!tools.wrk) throw new Error("BENCH_LOADGEN=wrk but wrk is not installed");
    proc = await startProc("wrk", tools.wrk, ["-t1", `-c${S.connections}`, `-d${seconds}s`, "--timeout", "2s", "--latency", `http://${HOST}:${port}/`]);
  } else {
    proc = await startProc("loadgen", process.execPath, [join(HERE, "loadgen.mjs"), HOST, String(port), String(S.connections), String(seconds)]);
  }
  onStart?.(proc.pid);
  const timeout = sleep((seconds + 15) * 1000).then(() => "timeout");
  const how = await Promise.race([proc.exitPromise, timeout]);
  if (how === "timeout") {
    await proc.stop(500);
    throw new Error(`${proc.name} did not finish within ${seconds + 15} s`);
  }
  await sleep(20); // let the last stdout chunk arrive
  if (loadgenKind === "wrk") {
    if (proc.code !== 0 && !/Requests\/sec/.test(proc.stdout)) throw new Error(`wrk failed (${proc.exitInfo()})${proc.tailText()}`);
    return parseWrk(proc.stdout);
  }
  const line = proc.stdout.trim().split("\n").pop();
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`loadgen failed (${proc.exitInfo()})${proc.tailText()}`);
  }
}

// ---------------------------------------------------------------------------------------------
// proxies under test

function isthmusConfig(listenPort, upstreamPort) {
  return `servers:
  - listeners:
      - name: bench
        address: ${HOST}:${listenPort}
        bind_port: true
        filter_chains:
          - filters:
              - type: tcp_proxy
                config: { cluster: backend }
cluster_manager:
  clusters:
    - name: backend
      type: SIMPLE
      lb_type: LB_ROUNDROBIN
      hosts: [{ address: "${HOST}:${upstreamPort}" }]
`;
}

/** Starts isthmus on `runtime` with 1 worker; returns { proc, port, pid } with pid = the proxy process. */
async function startIsthmus(runtime, upstreamPort) {
  if (runtime === "deno" && !tools.deno) throw new Error("deno is not installed (node_modules/.bin/deno)");
  if (runtime === "bun" && !tools.bun) throw new Error("bun is not installed (node_modules/.bin/bun)");
  const port = await freePort();
  const file = join(tmp, `isthmus-${runtime}-${port}.yaml`);
  writeFileSync(file, isthmusConfig(port, upstreamPort));
  const proc = await startProc(`isthmus-${runtime}`, process.execPath, [join(ROOT, "adapters/cli/isthmus.mjs"), "start", "-c", file, "--runtime", runtime, "--workers", "1"], {
    ready: /^isthmus: ready$/m,
    timeoutMs: 60_000,
  });
  // The proxy announces its own pid; for deno/bun it is the launcher's child.
  let pid = Number(/^isthmus \S+ on .*, pid (\d+)$/m.exec(proc.stdout)?.[1] ?? 0);
  if (!pid || !existsSync(`/proc/${pid}`)) {
    pid = proc.pid;
    if (runtime !== "node") {
      const re = runtime === "deno" ? /adapters\/deno\/main\.ts/ : /adapters\/bun\/main\.ts/;
      pid = childrenOf(proc.pid).find((c) => re.test(cmdline(c))) ?? childrenOf(proc.pid)[0] ?? proc.pid;
    }
  }
  if (runtime !== "node" && pid === proc.pid) log(`warning: could not find the ${runtime} child of the launcher; measuring the launcher`);
  const listening = new RegExp(`^isthmus: listener bench on [^\\n]*:${port} `, "m").test(proc.stdout);
  if (!listening) log(`warning: isthmus-${runtime} did not announce listener on port ${port}`);
  return { proc, port, pid };
}

async function startHaproxy(upstreamPort) {
  if (!tools.haproxy) throw new Error("haproxy is not installed");
  const port = await freePort();
  const cfg = join(tmp, `haproxy-${port}.cfg`);
  writeFileSync(
    cfg,
    `global
  nbthread 1
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind ${HOST}:${port}
  default_backend upstream
backend upstream
  server up ${HOST}:${upstreamPort}
`,
  );
  const proc = await startProc("haproxy", tools.haproxy, ["-f", cfg, "-db"], { ready: port, timeoutMs: 10_000 });
  return { proc, port, pid: proc.pid };
}

async function startPipe(upstreamPort) {
  const proc = await startProc("node-pipe", process.execPath, [join(HERE, "pipe-proxy.mjs"), "0", HOST, String(upstreamPort)], {
    ready: /pipe-proxy: listening on [\d.]+:(\d+)/,
    timeoutMs: 10_000,
  });
  return { proc, port: Number(proc.match[1]), pid: proc.pid };
}

// ---------------------------------------------------------------------------------------------
// measuring

/**
 * Warm-up, then the measured run. `proxy` is null for "direct". Returns the row for the results.
 */
async function measure(name, upstream, proxy) {
  const row = { target: name, ok: false };
  const port = proxy ? proxy.port : upstream.port;
  if (proxy) {
    await sleep(300);
    row.proxyPid = proxy.pid;
    row.rssIdleKiB = rssKiB(proxy.pid);
  }
  if (S.warmup > 0) await runLoad(port, S.warmup);
  if (proxy && (proxy.proc.exited || rssKiB(proxy.pid) === null)) throw new Error(`proxy died during warm-up (${proxy.proc.exitInfo()})${proxy.proc.tailText()}`);
  const logBefore = proxy ? proxy.proc.stderrLines : 0;
  const cpu0 = proxy ? cpuSeconds(proxy.pid) : null;
  const up0 = cpuSeconds(upstream.proc.pid);
  let lg = { pid: 0, cpu0: null, last: null };
  let peak = 0;
  const sampler = setInterval(() => {
    if (proxy) peak = Math.max(peak, rssKiB(proxy.pid) ?? 0);
    if (lg.pid) lg.last = cpuSeconds(lg.pid) ?? lg.last;
  }, 250);
  const t0 = performance.now();
  let result;
  try {
    result = await runLoad(port, S.duration, (pid) => {
      lg = { pid, cpu0: cpuSeconds(pid) ?? 0, last: null };
    });
  } finally {
    clearInterval(sampler);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu1 = proxy ? cpuSeconds(proxy.pid) : null;
  const up1 = cpuSeconds(upstream.proc.pid);
  Object.assign(row, result);
  row.wallSeconds = wall;
  if (up0 !== null && up1 !== null) row.upstreamCpuShare = (up1 - up0) / wall;
  if (lg.last !== null) row.loadgenCpuShareApprox = (lg.last - lg.cpu0) / wall; // last 250 ms sample
  if (proxy) {
    if (cpu0 === null || cpu1 === null) throw new Error(`proxy process ${proxy.pid} disappeared during the load${proxy.proc.tailText()}`);
    row.rssLoadedKiB = rssKiB(proxy.pid);
    row.rssPeakKiB = Math.max(peak, row.rssLoadedKiB ?? 0);
    row.cpuSeconds = cpu1 - cpu0;
    row.cpuShare = row.cpuSeconds / wall;
    row.rpsPerCore = row.cpuShare > 0 ? row.rps / row.cpuShare : null;
    row.proxyLogLines = proxy.proc.stderrLines - logBefore;
    if (row.proxyLogLines > 0) row.proxyLogTail = proxy.proc.lines.slice(-5);
  }
  const errs = result.errors ?? {};
  row.errorCount = Object.values(errs).reduce((a, b) => a + b, 0);
  if (!(result.rps > 0)) throw new Error(`no successful requests${row.errorCount ? ` (errors: ${JSON.stringify(errs)})` : ""}`);
  row.ok = true;
  return row;
}

/** Opens n idle connections through a fresh isthmus and reads the proxy RSS before/after. */
async function idleMemory(runtime, n) {
  const row = { runtime, connections: n, ok: false };
  // Upstream in this process: accepts and holds, never writes.
  const held = new Set();
  const up = net.createServer((s) => {
    held.add(s);
    s.on("error", () => {});
    s.on("close", () => held.delete(s));
  });
  await new Promise((resolve, reject) => {
    up.once("error", reject);
    up.listen({ host: HOST, port: 0, backlog: 4096 }, resolve);
  });
  const clients = [];
  let proxy;
  try {
    proxy = await startIsthmus(runtime, up.address().port);
    await sleep(1000);
    row.rssBeforeKiB = rssKiB(proxy.pid);
    let failed = 0;
    for (let i = 0; i < n; i += 100) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + 100); j++) {
        batch.push(
          new Promise((resolve) => {
            const s = net.connect({ host: HOST, port: proxy.port });
            clients.push(s);
            s.on("error", () => {});
            s.once("connect", () => resolve(true));
            s.once("close", () => resolve(false));
            setTimeout(() => resolve(false), 5000).unref();
          }),
        );
      }
      failed += (await Promise.all(batch)).filter((ok) => !ok).length;
    }
    const deadline = Date.now() + 10_000;
    while (held.size < n && Date.now() < deadline) await sleep(100);
    row.clientFailures = failed;
    row.upstreamAccepted = held.size;
    await sleep(1000);
    row.rssAfterKiB = rssKiB(proxy.pid);
    row.clientsStillOpen = clients.filter((s) => !s.destroyed && s.readyState === "open").length;
    row.kibPerConn = (row.rssAfterKiB - row.rssBeforeKiB) / n;
    for (const s of clients) s.destroy();
    const closeDeadline = Date.now() + 5000;
    while (held.size > 0 && Date.now() < closeDeadline) await sleep(100);
    row.upstreamStillOpenAfterClose = held.size;
    await sleep(1000);
    row.rssAfterCloseKiB = rssKiB(proxy.pid);
    if (row.rssBeforeKiB === null || row.rssAfterKiB === null) throw new Error("proxy process gone");
    row.ok = true;
  } catch (err) {
    row.error = briefError(err.message);
    row.errorDetail = err.message;
  } finally {
    for (const s of clients) s.destroy();
    for (const s of held) s.destroy();
    await new Promise((r) => up.close(() => r()));
    if (proxy) await proxy.proc.stop();
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// output

/** One line for a table cell (the first line of the message, which names the cause). */
function briefError(message) {
  const line = message.split("\n")[0].trim() || "?";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

const f1 = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(1));
const f2 = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(2));
const f0 = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "-" : Math.round(v).toLocaleString("en-US"));
const mib = (k) => (k === null || k === undefined ? "-" : (k / 1024).toFixed(1));
const signed = (v) => (v === null || v === undefined || !Number.isFinite(v) ? "-" : `${v >= 0 ? "+" : ""}${v.toFixed(2)}`);

function loadTable(rows) {
  const direct = rows.find((r) => r.target === "direct" && r.ok);
  const haproxy = rows.find((r) => r.target === "haproxy" && r.ok);
  const header = ["target", S.repeat > 1 ? `req/s median of ${S.repeat} (range)` : "req/s", "proxy CPU", "req/s per proxy core", "p99 ms", "p99 added ms", "x direct req/s", "x haproxy per core", "proxy RSS MiB idle -> loaded", "errors"];
  const body = rows.map((r) => {
    if (!r.ok) return [r.target, `FAILED: ${r.error ?? "?"}`];
    const errs = r.errorCount ? Object.entries(r.errors).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ") : "0";
    return [
      r.target,
      S.repeat > 1 && r.rpsMin !== undefined ? `${f0(r.rps)} (${f0(r.rpsMin)}-${f0(r.rpsMax)})` : f0(r.rps),
      r.cpuShare === undefined ? "-" : `${(r.cpuShare * 100).toFixed(0)}%`,
      f0(r.rpsPerCore),
      f2(r.p99Ms),
      r.target === "direct" || !direct ? "-" : signed(r.p99Ms - direct.p99Ms),
      direct ? f2(r.rps / direct.rps) : "-",
      haproxy && r.rpsPerCore && haproxy.rpsPerCore ? f2(r.rpsPerCore / haproxy.rpsPerCore) : "-",
      r.rssIdleKiB === undefined ? "-" : `${mib(r.rssIdleKiB)} -> ${mib(r.rssLoadedKiB)}`,
      errs,
    ];
  });
  return { header, body, right: [false, true, true, true, true, true, true, true, true, false] };
}

function idleTable(rows) {
  const header = ["runtime", "idle conns", "RSS before MiB", "RSS with conns MiB", "KiB per idle conn", "RSS after close MiB", "upstream saw"];
  const body = rows.map((r) => {
    if (!r.ok) return [`isthmus-${r.runtime}`, `FAILED: ${r.error ?? "?"}`];
    return [`isthmus-${r.runtime}`, String(r.connections), mib(r.rssBeforeKiB), mib(r.rssAfterKiB), f1(r.kibPerConn), mib(r.rssAfterCloseKiB), String(r.upstreamAccepted)];
  });
  return { header, body, right: [false, true, true, true, true, true, true] };
}

function renderText({ header, body, right }) {
  const full = body.filter((r) => r.length === header.length);
  const widths = header.map((h, i) => Math.max(h.length, ...(i === 0 ? body : full).map((r) => String(r[i]).length)));
  const fmt = (cells) =>
    cells.length < header.length
      ? `${cells[0].padEnd(widths[0])}  ${cells.slice(1).join("  ")}`
      : cells.map((c, i) => (right[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ").trimEnd();
  return [fmt(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(fmt)].join("\n");
}

function renderMarkdown({ header, body, right }) {
  const esc = (c) => String(c).replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [`| ${header.join(" | ")} |`, `|${right.map((r) => (r ? "---:" : ":---")).join("|")}|`];
  for (const r of body) {
    const cells = r.length < header.length ? [r[0], r.slice(1).join(" "), ...Array(header.length - 2).fill("")] : r;
    lines.push(`| ${cells.map(esc).join(" | ")} |`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  const started = Date.now();
  const info = machineInfo();
  const upstream = await startUpstream();
  const settings = {
    duration: S.duration,
    warmup: S.warmup,
    connections: S.connections,
    loadgen: loadgenKind === "wrk" ? `wrk -t1 -c${S.connections} -d${S.duration}s --latency` : `bench/loadgen.mjs (node, ${S.connections} connections, ${S.duration}s)`,
    upstream: upstream.label,
    idleConns: S.idleConns,
    repeat: S.repeat,
  };
  const headerLines = [
    `isthmus L4 benchmark (tcp_proxy, 1 worker) - ${info.date}`,
    `machine: ${info.nproc} cpu (nproc), ${info.cpu}${info.memory ? `, ${info.memory} RAM` : ""}, ${info.kernel}`,
    `node ${info.node} | ${info.deno} | bun ${info.bun} | ${info.haproxy} | ${info.wrk}`,
    `upstream: ${settings.upstream} | load: ${settings.loadgen}, ${S.warmup}s warm-up per target, targets run one at a time${S.repeat > 1 ? `, ${S.repeat} rounds` : ""}`,
  ];
  process.stdout.write(headerLines.join("\n") + "\n\n");

  const targets = [];
  if (wanted("direct")) targets.push({ name: "direct", start: async () => null });
  for (const rt of S.runtimes) if (wanted(`isthmus-${rt}`)) targets.push({ name: `isthmus-${rt}`, start: () => startIsthmus(rt, upstream.port) });
  if (wanted("haproxy")) targets.push({ name: "haproxy", start: () => startHaproxy(upstream.port) });
  if (wanted("node-pipe")) targets.push({ name: "node-pipe", start: () => startPipe(upstream.port) });

  const runs = new Map(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= S.repeat; round++) {
    for (const t of targets) {
      const tag = S.repeat > 1 ? `${t.name} (round ${round}/${S.repeat})` : t.name;
      log(`${tag}: starting`);
      let proxy = null;
      let row;
      try {
        if (upstream.proc.exited) throw new Error(`upstream exited (${upstream.proc.exitInfo()})`);
        proxy = await t.start();
        log(`${tag}: warm-up ${S.warmup}s, load ${S.duration}s`);
        row = await measure(t.name, upstream, proxy);
        log(`${tag}: ${f0(row.rps)} req/s, p99 ${f2(row.p99Ms)} ms${row.cpuShare !== undefined ? `, proxy CPU ${(row.cpuShare * 100).toFixed(0)}%` : ""}${row.errorCount ? `, ${row.errorCount} errors` : ""}`);
      } catch (err) {
        row = { target: t.name, ok: false, error: briefError(err.message), errorDetail: err.message };
        log(`${tag}: FAILED: ${err.message}`);
      } finally {
        if (proxy) await proxy.proc.stop();
      }
      runs.get(t.name).push(row);
    }
  }
  // With several rounds each target reports its median run (by req/s), plus the spread.
  const rows = targets.map((t) => {
    const all = runs.get(t.name);
    const ok = all.filter((r) => r.ok).sort((a, b) => a.rps - b.rps);
    if (ok.length === 0) return all[all.length - 1];
    const row = { ...ok[Math.floor((ok.length - 1) / 2)] };
    if (S.repeat > 1) {
      row.rounds = all.map((r) => (r.ok ? { rps: r.rps, p99Ms: r.p99Ms, cpuShare: r.cpuShare, rpsPerCore: r.rpsPerCore } : { error: r.error }));
      row.rpsMin = ok[0].rps;
      row.rpsMax = ok[ok.length - 1].rps;
      row.failedRounds = all.length - ok.length;
    }
    return row;
  });
  await upstream.proc.stop();

  const idle = [];
  if (S.idleConns > 0) {
    for (const rt of S.runtimes) {
      if (!wanted(`isthmus-${rt}`)) continue;
      log(`isthmus-${rt}: ${S.idleConns} idle connections`);
      const r = await idleMemory(rt, S.idleConns);
      log(r.ok ? `isthmus-${rt}: ${f1(r.kibPerConn)} KiB per idle connection (upstream saw ${r.upstreamAccepted})` : `isthmus-${rt}: idle test FAILED: ${r.error}`);
      idle.push(r);
    }
  }

  const lt = loadTable(rows);
  const it = idleTable(idle);
  const elapsed = (Date.now() - started) / 1000;
  process.stdout.write(`${renderText(lt)}\n\n`);
  if (idle.length) process.stdout.write(`memory per idle connection (client connects through the proxy, upstream accepts, no data):\n${renderText(it)}\n\n`);
  process.stdout.write(
    "req/s per proxy core = req/s / proxy CPU share (utime+stime of the proxy process over the run);\n" +
      "x haproxy per core = req/s per proxy core relative to haproxy's; p99 added = p99 minus direct's p99.\n" +
      `total bench time ${elapsed.toFixed(0)} s\n\n`,
  );

  const md = [
    `**${headerLines[0]}**`,
    "",
    ...headerLines.slice(1).map((l) => `- ${l}`),
    "",
    renderMarkdown(lt),
    "",
  ];
  if (idle.length) md.push("Memory per idle connection:", "", renderMarkdown(it), "");
  process.stdout.write("Markdown:\n\n" + md.join("\n") + "\n");

  const resultsDir = join(HERE, "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, "latest.json");
  writeFileSync(file, JSON.stringify({ info, settings, clkTck: CLK_TCK, targets: rows, idleConnections: idle, elapsedSeconds: elapsed }, null, 2) + "\n");
  log(`results written to ${file}`);
}

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (err) => {
    log(`fatal: ${err.stack ?? err}`);
    killAll();
    process.exit(1);
  },
);
