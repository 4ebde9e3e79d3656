// The bench's settings, from the environment (and --quick). Every one has a default; QUICK
// shortens the defaults for a smoke run, and an explicit variable still wins over QUICK.

/** A BENCH_* value the bench cannot use: reported as its message alone, without a stack. */
export class SettingError extends Error {
  name = "SettingError";
}

function num(v, dflt, { min = -Infinity, int = false } = {}) {
  if (v === undefined || v === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) return dflt;
  return Math.max(min, int ? Math.floor(n) : n);
}

const list = (v) => v.split(",").map((s) => s.trim()).filter(Boolean);

function choice(name, v, allowed) {
  const value = v ?? allowed[0];
  if (!allowed.includes(value)) throw new SettingError(`${name}=${value}: expected one of ${allowed.join(", ")}`);
  return value;
}

const SCENARIOS = ["l4", "http", "rpc"];
/** The RPC protocols of the rpc scenario, as MOSN's sub_protocol names them. */
export const RPC_PROTOCOLS = ["bolt", "dubbo"];

function rpcProtocols(v) {
  const names = list(v ?? RPC_PROTOCOLS.join(","));
  const unknown = names.filter((n) => !RPC_PROTOCOLS.includes(n));
  if (unknown.length || names.length === 0) {
    throw new SettingError(`BENCH_RPC_PROTOCOLS=${v}: expected a list of ${RPC_PROTOCOLS.join(", ")}`);
  }
  return RPC_PROTOCOLS.filter((n) => names.includes(n));
}

function scenarios(v) {
  const names = list(v ?? SCENARIOS.join(","));
  const unknown = names.filter((n) => !SCENARIOS.includes(n));
  if (unknown.length || names.length === 0) {
    throw new SettingError(`BENCH_SCENARIOS=${v}: expected a list of ${SCENARIOS.join(", ")}`);
  }
  return SCENARIOS.filter((n) => names.includes(n));
}

/**
 * The worker count of the HTTP section with more than one worker: BENCH_HTTP_WORKERS, else
 * BENCH_PROXY_CPUS when above 1, else every CPU. 1 means no such section.
 */
export function httpWorkerCount(settings, cpuCount) {
  return settings.httpWorkers ?? (settings.proxyCpus > 1 ? settings.proxyCpus : cpuCount);
}

/** Reads BENCH_* from `env` (see bench/run.mjs for the list); throws on a value it cannot use. */
export function readSettings(env, argv) {
  const quick = env.BENCH_QUICK === "1" || argv.includes("--quick");
  const duration = num(env.BENCH_DURATION, quick ? 2 : 10, { min: 1 });
  return Object.freeze({
    quick,
    duration,
    warmup: num(env.BENCH_WARMUP, quick ? 1 : 2, { min: 0 }),
    connections: num(env.BENCH_CONNECTIONS, 50, { min: 1, int: true }),
    repeat: num(env.BENCH_REPEAT, 1, { min: 1, int: true }),
    runtimes: list(env.BENCH_RUNTIMES ?? "node,deno,bun"),
    targets: env.BENCH_TARGETS ? list(env.BENCH_TARGETS) : null,
    upstream: choice("BENCH_UPSTREAM", env.BENCH_UPSTREAM, ["auto", "nginx", "node"]),
    loadgen: choice("BENCH_LOADGEN", env.BENCH_LOADGEN, ["auto", "wrk", "node"]),
    wrkThreads: num(env.BENCH_WRK_THREADS, 1, { min: 1, int: true }),
    idleConns: num(env.BENCH_IDLE_CONNS, quick ? 200 : 1000, { min: 0, int: true }),
    churnConns: num(env.BENCH_CHURN, quick ? 2000 : 20_000, { min: 0, int: true }),
    churnConcurrency: num(env.BENCH_CHURN_CONCURRENCY, 50, { min: 1, int: true }),
    churnSeconds: num(env.BENCH_CHURN_SECONDS, quick ? 10 : 30, { min: 1 }),
    pin: env.BENCH_PIN !== "0",
    proxyCpus: num(env.BENCH_PROXY_CPUS, 1, { min: 1, int: true }),
    scenarios: scenarios(env.BENCH_SCENARIOS),
    httpConnections: num(env.BENCH_HTTP_CONNECTIONS, 64, { min: 1, int: true }),
    httpWorkers: env.BENCH_HTTP_WORKERS && env.BENCH_HTTP_WORKERS !== "auto"
      ? num(env.BENCH_HTTP_WORKERS, null, { min: 1, int: true })
      : null,
    rpcProtocols: rpcProtocols(env.BENCH_RPC_PROTOCOLS),
    rpcConnections: num(env.BENCH_RPC_CONNECTIONS, 4, { min: 1, int: true }),
    rpcInflight: num(env.BENCH_RPC_INFLIGHT, 64, { min: 1, int: true }),
    rpcLatencyInflight: num(env.BENCH_RPC_LATENCY_INFLIGHT, 1, { min: 1, int: true }),
    latencySeconds: num(env.BENCH_LATENCY_SECONDS, Math.min(5, duration), { min: 0 }),
    httpLatencyConnections: num(env.BENCH_HTTP_LATENCY_CONNECTIONS, 1, { min: 1, int: true }),
  });
}
