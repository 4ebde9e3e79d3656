import type { TimerHandle } from "./runtime.ts";

/** Timers and the monotonic clock from the web-standard globals all three runtimes share. */
export class SystemTimers {
  setTimer(ms: number, fn: () => void): TimerHandle {
    return setTimeout(fn, ms);
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  now(): number {
    return performance.now();
  }
}
