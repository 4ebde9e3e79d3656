// isthmus on Deno: `deno run -A --unstable-net adapters/deno/main.ts start -c FILE`.
import { parseArgs, USAGE } from "../../core/cli/args.ts";
import { runCommand } from "../../core/cli/run.ts";
import { DenoRuntime } from "./runtime.ts";

interface DenoProcess {
  args: string[];
  pid: number;
  version: { deno: string };
  env: { get(k: string): string | undefined; toObject(): Record<string, string> };
  execPath(): string;
  readTextFile(path: string): Promise<string>;
  addSignalListener(sig: "SIGINT" | "SIGTERM", fn: () => void): void;
  exit(code: number): never;
  Command: new (cmd: string, opts: { args: string[]; env: Record<string, string>; stdout: "inherit"; stderr: "inherit"; stdin: "null" }) => {
    spawn(): { status: Promise<{ code: number }>; kill(sig: string): void };
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

function onShutdownSignal(fn: (signal: string) => void): void {
  let done = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(sig, () => {
      if (done) return;
      done = true;
      fn(sig);
    });
  }
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

const isWorker = Deno.env.get("ISTHMUS_WORKER") === "1";
if (opts.command === "start" && opts.workers > 1 && !isWorker) {
  // Each worker binds the same port with SO_REUSEPORT; the kernel spreads connections.
  out(`isthmus: starting ${opts.workers} deno workers`);
  const self = new URL(import.meta.url).pathname;
  const children = Array.from({ length: opts.workers }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-net", self, ...Deno.args],
      env: { ...Deno.env.toObject(), ISTHMUS_WORKER: "1" },
      stdout: "inherit",
      stderr: "inherit",
      stdin: "null",
    }).spawn()
  );
  onShutdownSignal((sig) => children.forEach((c) => c.kill(sig)));
  const codes = await Promise.all(children.map((c) => c.status.then((s) => s.code)));
  Deno.exit(codes.every((c) => c === 0) ? 0 : 1);
} else {
  const code = await runCommand(
    opts,
    {
      runtime: new DenoRuntime(),
      runtimeVersion: `deno ${Deno.version.deno}`,
      pid: Deno.pid,
      reusePort: isWorker,
      readFile: (path) => Deno.readTextFile(path),
      stdout: out,
      stderr: err,
      onShutdownSignal,
    },
    (exitCode) => Deno.exit(exitCode),
  );
  if (code !== undefined) Deno.exit(code);
}
