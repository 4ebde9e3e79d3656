// Process-level hooks for the Node main; Bun's main uses them too, as Bun implements the same
// `process` API.
import type { StopSignal } from "../../core/cli/stop-signals.ts";

/** Marks a process whose stop signals an isthmus parent relays (core/cli/stop-signals.ts). */
export const SUPERVISED_ENV = "ISTHMUS_SUPERVISED";

/** The stop hooks and exit of this process, as core/cli/run.ts CliHost wants them. */
export const nodeProcess = {
  onSignal(fn: (signal: StopSignal) => void): void {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => fn(sig));
  },
  // `process.ppid` calls getppid() each time, so it changes when the parent exits.
  parentPid: (): number => process.ppid,
  exit: (code: number): never => process.exit(code),
};

/** Sends a signal to a child, which may have exited already: then there is nothing to stop. */
export function signalChild(child: { kill(signal: NodeJS.Signals): boolean }, signal: StopSignal | "SIGKILL"): void {
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** A proxy outlives a bug in one connection's code path: log it, keep serving the others. */
export function logUncaughtErrors(): void {
  process.on("uncaughtException", (err) => process.stderr.write(`isthmus: uncaught: ${err.stack ?? err}\n`));
  process.on(
    "unhandledRejection",
    (err) => process.stderr.write(`isthmus: unhandled rejection: ${(err as Error)?.stack ?? err}\n`),
  );
}
