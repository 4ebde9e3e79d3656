// isthmus on Bun: `bun adapters/bun/main.ts start -c FILE`.
import { readFile } from "node:fs/promises";
import { parseArgs, USAGE } from "../../core/cli/args.ts";
import { logUncaughtErrors, onShutdownSignal } from "../node/process.ts";
import { runCommand } from "../../core/cli/run.ts";
import { BunRuntime } from "./runtime.ts";

interface BunProcessApi {
  version: string;
  spawn(cmd: string[], opts: { env: Record<string, string | undefined>; stdout: "inherit"; stderr: "inherit"; stdin: "ignore" }): {
    exited: Promise<number>;
    kill(sig?: string): void;
  };
}
const Bun: BunProcessApi = (globalThis as unknown as { Bun: BunProcessApi }).Bun;

const opts = parseArgs(process.argv.slice(2));
if (typeof opts === "string") {
  process.stderr.write(`isthmus: ${opts}\n${USAGE}\n`);
  process.exit(2);
}

logUncaughtErrors();

const isWorker = process.env.ISTHMUS_WORKER === "1";
if (opts.command === "start" && opts.workers > 1 && !isWorker) {
  // Each worker binds the same port with SO_REUSEPORT; the kernel spreads connections.
  process.stdout.write(`isthmus: starting ${opts.workers} bun workers\n`);
  const children = Array.from({ length: opts.workers }, () =>
    Bun.spawn([process.execPath, import.meta.path, ...process.argv.slice(2)], {
      env: { ...process.env, ISTHMUS_WORKER: "1" },
      stdout: "inherit",
      stderr: "inherit",
      stdin: "ignore",
    })
  );
  onShutdownSignal((sig) => children.forEach((c) => c.kill(sig)));
  const codes = await Promise.all(children.map((c) => c.exited));
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
} else {
  const code = await runCommand(
    opts,
    {
      runtime: new BunRuntime(),
      runtimeVersion: `bun ${Bun.version}`,
      pid: process.pid,
      reusePort: isWorker,
      readFile: (path) => readFile(path, "utf8"),
      stdout: (line) => process.stdout.write(line + "\n"),
      stderr: (line) => process.stderr.write(line + "\n"),
      onShutdownSignal,
    },
    (exitCode) => process.exit(exitCode),
  );
  if (code !== undefined) process.exit(code);
}
