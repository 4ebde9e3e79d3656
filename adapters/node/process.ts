// Process-level hooks for the Node main; Bun's main uses them too, as Bun implements the same
// `process` API.

/** Calls `fn` once, on the first SIGINT or SIGTERM. */
export function onShutdownSignal(fn: (signal: string) => void): void {
  let done = false;
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      if (done) return;
      done = true;
      fn(sig);
    });
  }
}

/** A proxy outlives a bug in one connection's code path: log it, keep serving the others. */
export function logUncaughtErrors(): void {
  process.on("uncaughtException", (err) => process.stderr.write(`isthmus: uncaught: ${err.stack ?? err}\n`));
  process.on("unhandledRejection", (err) => process.stderr.write(`isthmus: unhandled rejection: ${(err as Error)?.stack ?? err}\n`));
}
