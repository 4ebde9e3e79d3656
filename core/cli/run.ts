import { loadConfig } from "../config/load.ts";
import { formatAddress } from "../net/address.ts";
import type { Runtime } from "../net/runtime.ts";
import { Logger } from "../observe/logger.ts";
import { createDefaultRegistry } from "../registry.ts";
import { Server } from "../server/server.ts";
import { type CliOptions, USAGE } from "./args.ts";

export const VERSION = "0.1.0";

/** What the CLI needs from the process it runs in; each adapter's main provides it. */
export interface CliHost {
  readonly runtime: Runtime;
  /** e.g. "node v20.20.2" */
  readonly runtimeVersion: string;
  readonly pid: number;
  /** True in a worker process: listeners share their port with sibling workers. */
  readonly reusePort: boolean;
  readFile(path: string): Promise<string>;
  stdout(line: string): void;
  stderr(line: string): void;
  /** Calls `fn` once on SIGINT or SIGTERM. */
  onShutdownSignal(fn: (signal: string) => void): void;
}

/**
 * Runs a parsed command. Resolves with the exit code for commands that finish; for `start` it
 * resolves once the proxy is up (undefined), and `onExit` is called with the code at shutdown.
 */
export async function runCommand(opts: CliOptions, host: CliHost, onExit: (code: number) => void): Promise<number | undefined> {
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
  for (const w of loaded.warnings) host.stderr(`isthmus: warning: ${w}`);
  if (opts.command === "validate") {
    host.stdout(`isthmus: ${path}: config OK (${loaded.warnings.length} warning${loaded.warnings.length === 1 ? "" : "s"})`);
    return 0;
  }
  const logger = new Logger(host.stderr, opts.logLevel, ` [${host.pid}]`);
  let server: Server;
  try {
    server = new Server(loaded.config, { runtime: host.runtime, registry, logger, reusePort: host.reusePort });
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
  for (const l of opened) host.stdout(`isthmus: listener ${l.name} on ${formatAddress(l.address)} -> ${l.filters.join(", ")}`);
  host.stdout("isthmus: ready");
  host.onShutdownSignal((signal) => {
    host.stdout(`isthmus: ${signal}: closing listeners`);
    server.stop().then(
      () => {
        host.stdout("isthmus: stopped");
        onExit(0);
      },
      (err) => {
        host.stderr(`isthmus: shutdown: ${(err as Error).message}`);
        onExit(1);
      },
    );
  });
  return undefined;
}
