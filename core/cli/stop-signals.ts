/** The signals that stop isthmus (what systemd, Docker, Kubernetes and terminals send). */
export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * How far a stop goes: "drain" closes the listeners at once and gives open connections the
 * graceful period; "now" closes everything at once.
 */
export type StopLevel = "drain" | "now";

/** The signal an isthmus parent sends its children for each level. */
export const SIGNAL_FOR_LEVEL: Readonly<Record<StopLevel, StopSignal>> = { drain: "SIGTERM", now: "SIGINT" };

/**
 * Turns the stop requests one process receives into at most two steps, drain then now, each
 * reported once to `onStep` with the reason to log.
 *
 * As MOSN (pkg/server/keeper/serverkeeper.go): SIGTERM stops gracefully, SIGINT at once. A
 * second SIGTERM during the drain stops at once too, except in a `supervised` process (a worker,
 * or deno/bun under the node launcher): its isthmus parent already turns its own signals into
 * SIGTERM for drain and SIGINT for now, and under systemd's default control-group kill the same
 * SIGTERM also reaches the child directly; counting both would cut every drain short.
 */
export class StopSignals {
  private level: StopLevel | undefined;

  constructor(
    private readonly supervised: boolean,
    private readonly onStep: (level: StopLevel, reason: string) => void,
  ) {}

  /** The furthest step taken so far. */
  get current(): StopLevel | undefined {
    return this.level;
  }

  signal(sig: StopSignal): void {
    if (sig === "SIGINT") return this.raise("now", sig);
    if (this.level === "drain" && !this.supervised) return this.raise("now", `${sig} again`);
    this.raise("drain", sig);
  }

  /**
   * The parent is gone: npm and npx exit on SIGTERM without passing it on, and a primary
   * killed with SIGKILL sends nothing. Handled as a SIGTERM from that parent.
   */
  parentGone(parentPid: number): void {
    this.raise("drain", `parent process ${parentPid} exited`);
  }

  private raise(level: StopLevel, reason: string): void {
    if (this.level === "now" || this.level === level) return;
    this.level = level;
    this.onStep(level, reason);
  }
}
