// isthmus on Node: the launcher (adapters/cli/isthmus.mjs) runs this file bundled into
// adapters/node/dist/main.mjs; `node --import tsx adapters/node/main.ts start -c FILE` runs the
// TypeScript directly. With `--runtime deno|bun` it runs that runtime's main as a child.
import { spawn } from "node:child_process";
import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, USAGE } from "../../core/cli/args.ts";
import { onStopRequest } from "../../core/cli/on-stop-request.ts";
import { runCommand } from "../../core/cli/run.ts";
import { SIGNAL_FOR_LEVEL } from "../../core/cli/stop-signals.ts";
import type { SpawnWorker } from "../../core/cli/supervisor.ts";
import { logUncaughtErrors, nodeProcess, signalChild, SUPERVISED_ENV } from "./process.ts";
import { NodeRuntime } from "./runtime.ts";
import { DENO_RUN_ARGS, DENO_RUN_ENV } from "../deno/run-args.ts";

const argv = process.argv.slice(2);
const opts = parseArgs(argv);
if (typeof opts === "string") {
  process.stderr.write(`isthmus: ${opts}\n${USAGE}\n`);
  process.exit(2);
}

logUncaughtErrors();
const runtime = new NodeRuntime();
const supervised = cluster.isWorker || process.env[SUPERVISED_ENV] === "1";

// Node 20 has no SO_REUSEPORT: workers share the primary's listening socket and the kernel
// hands each accept to one of them (SCHED_NONE), rather than the primary relaying sockets.
// A worker whose primary dies exits at once: node:cluster's own rule when its IPC channel closes.
let clusterReady = false;
const spawnWorker: SpawnWorker = (onExit) => {
  if (!clusterReady) {
    clusterReady = true;
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    // Workers run this file (the bundle), not the launcher's rebuild check.
    cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), args: argv });
  }
  const worker = cluster.fork();
  worker.on("exit", (code, signal) => onExit(signal ? null : code, signal || null));
  return { pid: worker.process.pid ?? 0, kill: (sig) => signalChild(worker.process, sig) };
};

// The bundle (what the launcher runs) starts deno on deno's bundle, which the launcher keeps as
// fresh as its own; this file run as TypeScript (the tests) starts deno on deno's TypeScript.
const DENO_MAIN = import.meta.url.endsWith(".mjs") ? "adapters/deno/dist/main.mjs" : "adapters/deno/main.ts";

/** Runs deno or bun on its own main, relaying this process's stop requests to it. */
function launch(name: "deno" | "bun"): void {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, "package.json")) && dirname(root) !== root) root = dirname(root);
  const pkgDir = dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  const [cmd, args, env] = name === "deno"
    ? [join(pkgDir, "deno"), [...DENO_RUN_ARGS, join(root, DENO_MAIN), ...argv], DENO_RUN_ENV]
    : [join(pkgDir, "bin", "bun.exe"), [join(root, "adapters/bun/main.ts"), ...argv], {}];
  const child = spawn(cmd, args, { stdio: "inherit", env: { ...env, ...process.env, [SUPERVISED_ENV]: "1" } });
  const unwatch = onStopRequest(
    { runtime, supervised, ...nodeProcess },
    (level) => signalChild(child, SIGNAL_FOR_LEVEL[level]),
  );
  child.on("exit", (code, signal) => {
    unwatch();
    process.exit(code ?? (signal ? 1 : 0));
  });
  child.on("error", (err) => {
    process.stderr.write(`isthmus: cannot start ${name}: ${err.message}\n`);
    process.exit(1);
  });
}

if (opts.runtime !== "node" && !cluster.isWorker) {
  launch(opts.runtime);
} else {
  const code = await runCommand(opts, {
    runtime,
    runtimeVersion: `node ${process.version}`,
    pid: process.pid,
    reusePort: false,
    worker: cluster.isWorker,
    supervised,
    readFile: (path) => readFile(path, "utf8"),
    stdout: (line) => process.stdout.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
    spawnWorker,
    ...nodeProcess,
  });
  if (code !== undefined) process.exit(code);
}
