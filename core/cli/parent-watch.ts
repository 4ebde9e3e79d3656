import type { Runtime } from "../net/runtime.ts";

/** How often the parent pid is read: one cheap getppid call per second. */
export const PARENT_POLL_MS = 1000;

/**
 * Calls `onGone` once, with the old parent's pid, when this process's parent changes (the
 * parent exited and the process was re-parented to init or a subreaper). No runtime reports
 * that as an event, so the pid is polled. Returns a function that stops watching.
 *
 * A process whose parent is pid 0 or 1 (PID 1 in a container, or a child of its init) has no
 * parent whose exit could be seen, so nothing is watched.
 */
export function watchParent(
  parentPid: () => number,
  timers: Pick<Runtime, "setTimer" | "clearTimer">,
  onGone: (parentPid: number) => void,
  intervalMs = PARENT_POLL_MS,
): () => void {
  const first = parentPid();
  if (first <= 1) return () => {};
  let timer: unknown;
  const tick = () => {
    if (parentPid() !== first) {
      timer = undefined;
      onGone(first);
      return;
    }
    timer = timers.setTimer(intervalMs, tick);
  };
  timer = timers.setTimer(intervalMs, tick);
  return () => {
    if (timer !== undefined) timers.clearTimer(timer);
    timer = undefined;
  };
}
