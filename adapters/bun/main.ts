// isthmus on Bun: `bun adapters/bun/main.ts start -c FILE`.
import { readFile } from "node:fs/promises";
import { parseArgs, USAGE } from "../../core/cli/args.ts";
import { runCommand } from "../../core/cli/run.ts";
import type { SpawnWorker } from "../../core/cli/supervisor.ts";
import { logUncaughtErrors, nodeProcess, SUPERVISED_ENV } from "../node/process.ts";
import { BunRuntime } from "./runtime.ts";

interface BunProcessApi {
  version: string;
  spawn(cmd: string[], opts: {
    env: Record<string, string | undefined>;
    stdout: "inherit";
    stderr: "inherit";
    stdin: "ignore";
    onExit(proc: unknown, exitCode: number | null, signalCode: string | null): void;
  }): { readonly pid: number; kill(sig?: string): void };
}
const Bun: BunProcessApi = (globalThis as unknown as { Bun: BunProcessApi }).Bun;

const opts = parseArgs(process.argv.slice(2));
if (typeof opts === "string") {
  process.stderr.write(`isthmus: ${opts}\n${USAGE}\n`);
  process.exit(2);
}

logUncaughtErrors();

// Each worker binds the same port with SO_REUSEPORT; the kernel spreads connections.
const isWorker = process.env.ISTHMUS_WORKER === "1";
const spawnWorker: SpawnWorker = (onExit) => {
  const child = Bun.spawn([process.execPath, import.meta.path, ...process.argv.slice(2)], {
    env: { ...process.env, ISTHMUS_WORKER: "1" },
    stdout: "inherit",
    stderr: "inherit",
    stdin: "ignore",
    onExit: (_proc, exitCode, signalCode) => onExit(signalCode ? null : exitCode, signalCode),
  });
  // Bun's kill() on a child that has exited does nothing.
  return { pid: child.pid, kill: (sig) => child.kill(sig) };
};

const code = await runCommand(opts, {
  runtime: new BunRuntime(),
  runtimeVersion: `bun ${Bun.version}`,
  pid: process.pid,
  reusePort: isWorker,
  worker: isWorker,
  supervised: isWorker || process.env[SUPERVISED_ENV] === "1",
  readFile: (path) => readFile(path, "utf8"),
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
  spawnWorker,
  ...nodeProcess,
});
if (code !== undefined) process.exit(code);
