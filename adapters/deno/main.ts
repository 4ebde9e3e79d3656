// isthmus on Deno: `deno run -A --unstable-net adapters/deno/main.ts start -c FILE`.
import { parseArgs, USAGE } from "../../core/cli/args.ts";
import { runCommand } from "../../core/cli/run.ts";
import type { StopSignal } from "../../core/cli/stop-signals.ts";
import type { SpawnWorker } from "../../core/cli/supervisor.ts";
import { DenoRuntime } from "./runtime.ts";
import { DENO_RUN_ARGS } from "./run-args.ts";

interface DenoChild {
  readonly pid: number;
  readonly status: Promise<{ code: number; signal: string | null }>;
  kill(sig: string): void;
}

interface DenoProcess {
  args: string[];
  pid: number;
  /** A getter: getppid() on each read. */
  ppid: number;
  version: { deno: string };
  env: { get(k: string): string | undefined; toObject(): Record<string, string> };
  execPath(): string;
  readTextFile(path: string): Promise<string>;
  addSignalListener(sig: StopSignal, fn: () => void): void;
  exit(code: number): never;
  Command: new (
    cmd: string,
    opts: { args: string[]; env: Record<string, string>; stdout: "inherit"; stderr: "inherit"; stdin: "null" },
  ) => {
    spawn(): DenoChild;
  };
}
const Deno: DenoProcess = (globalThis as unknown as { Deno: DenoProcess }).Deno;
const out = (line: string) => console.log(line);
const err = (line: string) => console.error(line);

const opts = parseArgs(Deno.args);
if (typeof opts === "string") {
  err(`isthmus: ${opts}\n${USAGE}`);
  Deno.exit(2);
}

// A proxy outlives a bug in one connection's code path: log it, keep serving the others.
globalThis.addEventListener("error", (e) => {
  e.preventDefault();
  err(`isthmus: uncaught: ${(e as ErrorEvent).error?.stack ?? e}`);
});
globalThis.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  err(`isthmus: unhandled rejection: ${(e as PromiseRejectionEvent).reason?.stack ?? e}`);
});

// Each worker binds the same port with SO_REUSEPORT; the kernel spreads connections.
const isWorker = Deno.env.get("ISTHMUS_WORKER") === "1";
const spawnWorker: SpawnWorker = (onExit) => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...DENO_RUN_ARGS, new URL(import.meta.url).pathname, ...Deno.args],
    env: { ...Deno.env.toObject(), ISTHMUS_WORKER: "1" },
    stdout: "inherit",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  child.status.then((s) => onExit(s.signal ? null : s.code, s.signal));
  return {
    pid: child.pid,
    kill: (sig) => {
      // Deno throws "Child process has already terminated" for a child that exited.
      try {
        child.kill(sig);
      } catch {
        // Already gone.
      }
    },
  };
};

const code = await runCommand(opts, {
  runtime: new DenoRuntime(),
  runtimeVersion: `deno ${Deno.version.deno}`,
  pid: Deno.pid,
  reusePort: isWorker,
  worker: isWorker,
  supervised: isWorker || Deno.env.get("ISTHMUS_SUPERVISED") === "1",
  readFile: (path) => Deno.readTextFile(path),
  stdout: out,
  stderr: err,
  onSignal: (fn) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(sig, () => fn(sig));
  },
  parentPid: () => Deno.ppid,
  spawnWorker,
  exit: (exitCode) => Deno.exit(exitCode),
});
if (code !== undefined) Deno.exit(code);
