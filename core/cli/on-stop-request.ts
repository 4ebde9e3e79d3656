import type { Runtime } from "../net/runtime.ts";
import { watchParent } from "./parent-watch.ts";
import { type StopLevel, type StopSignal, StopSignals } from "./stop-signals.ts";

/** The process hooks a stop request comes through. */
export interface StopSources {
  readonly runtime: Pick<Runtime, "setTimer" | "clearTimer">;
  /** True when an isthmus parent relays stop signals to this process (see StopSignals). */
  readonly supervised: boolean;
  /** Calls `fn` on every SIGINT and SIGTERM. */
  onSignal(fn: (signal: StopSignal) => void): void;
  /** The current parent pid, read anew on each call. */
  parentPid(): number;
}

/**
 * Calls `onStep` for each stop step this process is asked for: by SIGTERM and SIGINT, or by its
 * parent exiting. Returns a function that stops watching the parent.
 */
export function onStopRequest(sources: StopSources, onStep: (level: StopLevel, reason: string) => void): () => void {
  const signals = new StopSignals(sources.supervised, onStep);
  sources.onSignal((sig) => signals.signal(sig));
  return watchParent(() => sources.parentPid(), sources.runtime, (pid) => signals.parentGone(pid));
}
