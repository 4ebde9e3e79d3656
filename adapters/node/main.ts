// isthmus on Node: `node --import tsx adapters/node/main.ts start -c FILE`.
import cluster from "node:cluster";
import { readFile } from "node:fs/promises";
import { parseArgs, USAGE } from "../../core/cli/args.ts";
import { logUncaughtErrors, onShutdownSignal } from "./process.ts";
import { runCommand } from "../../core/cli/run.ts";
import { NodeRuntime } from "./runtime.ts";

const opts = parseArgs(process.argv.slice(2));
if (typeof opts === "string") {
  process.stderr.write(`isthmus: ${opts}\n${USAGE}\n`);
  process.exit(2);
}

logUncaughtErrors();

if (opts.command === "start" && opts.workers > 1 && cluster.isPrimary) {
  // Node 20 has no SO_REUSEPORT: workers share the primary's listening socket and the kernel
  // hands each accept to one of them (SCHED_NONE), rather than the primary relaying sockets.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  process.stdout.write(`isthmus: starting ${opts.workers} node workers\n`);
  for (let i = 0; i < opts.workers; i++) cluster.fork();
  let failed = false;
  cluster.on("exit", (_w, code) => {
    if (code !== 0) failed = true;
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
  });
  onShutdownSignal((sig) => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig as NodeJS.Signals);
  });
} else {
  const code = await runCommand(
    opts,
    {
      runtime: new NodeRuntime(),
      runtimeVersion: `node ${process.version}`,
      pid: process.pid,
      reusePort: false,
      readFile: (path) => readFile(path, "utf8"),
      stdout: (line) => process.stdout.write(line + "\n"),
      stderr: (line) => process.stderr.write(line + "\n"),
      onShutdownSignal,
    },
    (exitCode) => process.exit(exitCode),
  );
  if (code !== undefined) process.exit(code);
}
