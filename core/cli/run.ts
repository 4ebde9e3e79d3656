import { loadConfig } from "../config/load.ts";
import type { IsthmusConfig } from "../config/types.ts";
import { formatAddress } from "../net/address.ts";
import type { Runtime } from "../net/runtime.ts";
import { Logger } from "../observe/logger.ts";
import { createDefaultRegistry, type Registry } from "../registry.ts";
import { gracefulTimeoutMs, Server } from "../server/server.ts";
import { type CliOptions, USAGE } from "./args.ts";
import { GracefulStop } from "./graceful-stop.ts";
import { onStopRequest, type StopSources } from "./on-stop-request.ts";
import { probeListeners } from "./probe-listeners.ts";
import { type SpawnWorker, Supervisor } from "./supervisor.ts";

export const VERSION = "0.1.0";

/** What the CLI needs from the process it runs in; each adapter's main provides it. */
export interface CliHost extends StopSources {
  readonly runtime: Runtime;
  /** e.g. "node v20.20.2" */
  readonly runtimeVersion: string;
  readonly pid: number;
  /** True in a worker process: listeners share their port with sibling workers. */
  readonly reusePort: boolean;
  /** True in a worker started by an isthmus primary: `--workers` is the primary's business. */
  readonly worker: boolean;
  readFile(path: string): Promise<string>;
  stdout(line: string): void;
  stderr(line: string): void;
  /** Starts one worker process running this same command line (`--workers N`, N > 1). */
  readonly spawnWorker: SpawnWorker;
  /** Ends the process with this code. */
  exit(code: number): void;
}

/**
 * Runs a parsed command. Resolves with the exit code for commands that finish; for `start` it
 * resolves once the proxy is up (undefined), and the process ends through `host.exit` when
 * it has stopped.
 */
export async function runCommand(opts: CliOptions, host: CliHost): Promise<number | undefined> {
  if (opts.command === "help") {
    host.stdout(USAGE);
    return 0;
  }
  if (opts.command === "version") {
    host.stdout(`isthmus ${VERSION} (${host.runtimeVersion})`);
    return 0;
  }
  const path = opts.configPath!;
  const registry = createDefaultRegistry();
  let loaded;
  try {
    loaded = loadConfig(await host.readFile(path), path, registry);
  } catch (err) {
    const e = err as Error & { code?: string };
    host.stderr(`isthmus: ${path}: ${e.code === "ENOENT" || e.name === "NotFound" ? "no such file" : e.message}`);
    return 1;
  }
  // A worker's primary has printed the warnings already.
  if (!host.worker) { for (const w of loaded.warnings) host.stderr(`isthmus: warning: ${w}`); }
  if (opts.command === "validate") {
    host.stdout(
      `isthmus: ${path}: config OK (${loaded.warnings.length} warning${loaded.warnings.length === 1 ? "" : "s"})`,
    );
    return 0;
  }
  if (opts.workers > 1 && !host.worker) return startPrimary(loaded.config, opts.workers, host);
  return startServer(loaded.config, registry, opts, host);
}

async function startServer(
  config: IsthmusConfig,
  registry: Registry,
  opts: CliOptions,
  host: CliHost,
): Promise<number | undefined> {
  const path = opts.configPath!;
  // The command line wins over MOSN's default_log_level (the first server's, as MOSN has one log).
  const level = opts.logLevel ?? config.servers[0]?.logLevel ?? "info";
  const logger = new Logger(host.stderr, level, ` [${host.pid}]`);
  let server: Server;
  try {
    server = new Server(config, { runtime: host.runtime, registry, logger, reusePort: host.reusePort });
  } catch (err) {
    host.stderr(`isthmus: ${path}: ${(err as Error).message}`);
    return 1;
  }
  let opened;
  try {
    opened = await server.start();
  } catch (err) {
    host.stderr(`isthmus: ${(err as Error).message}`);
    return 1;
  }
  host.stdout(`isthmus ${VERSION} on ${host.runtimeVersion}, pid ${host.pid}`);
  for (const l of opened) {
    host.stdout(`isthmus: listener ${l.name} on ${formatAddress(l.address)} -> ${l.filters.join(", ")}`);
  }
  host.stdout("isthmus: ready");
  let unwatch = () => {};
  const stop = new GracefulStop(server, {
    timers: host.runtime,
    drainTimeoutMs: gracefulTimeoutMs(config),
    out: host.stdout,
    onStopped: () => {
      unwatch();
      host.exit(0);
    },
  });
  unwatch = onStopRequest(host, (level, reason) => stop.step(level, reason));
  return undefined;
}

async function startPrimary(config: IsthmusConfig, workers: number, host: CliHost): Promise<number | undefined> {
  const busy = await probeListeners(config, host.runtime);
  if (busy !== undefined) {
    host.stderr(`isthmus: ${busy}`);
    return 1;
  }
  host.stdout(`isthmus: starting ${workers} ${host.runtime.name} workers`);
  let unwatch = () => {};
  const supervisor = new Supervisor({
    workers,
    spawn: host.spawnWorker,
    timers: host.runtime,
    drainTimeoutMs: gracefulTimeoutMs(config),
    out: host.stdout,
    err: host.stderr,
    onStopped: (code) => {
      unwatch();
      host.exit(code);
    },
  });
  unwatch = onStopRequest(host, (level, reason) => supervisor.step(level, reason));
  supervisor.start();
  return undefined;
}
