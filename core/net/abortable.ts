import { abortedError } from "./socket-error.ts";

/**
 * Races a pending connect against an AbortSignal, for runtimes whose connect takes no signal.
 * When the signal wins, the promise rejects with `abortedError(reason, op)` and a socket that
 * still arrives late is handed to `discard`.
 */
export function abortable<T>(
  pending: Promise<T>,
  signal: AbortSignal | undefined,
  op: string,
  discard: (late: T) => void,
): Promise<T> {
  if (!signal) return pending;
  if (signal.aborted) {
    pending.then(discard, () => {});
    return Promise.reject(abortedError(signal.reason, op));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(abortedError(signal.reason, op));
      pending.then(discard, () => {});
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) discard(value);
        else resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
