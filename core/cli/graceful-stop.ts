import type { Runtime } from "../net/runtime.ts";
import { formatDuration } from "./format-duration.ts";
import type { StopLevel } from "./stop-signals.ts";

/** What a drain needs from the running proxy (core/server/server.ts Server). */
export interface Drainable {
  closeListeners(): Promise<void>;
  readonly activeConnections: number;
  whenIdle(): Promise<void>;
  closeConnections(): void;
}

export interface GracefulStopDeps {
  readonly timers: Pick<Runtime, "setTimer" | "clearTimer">;
  /** The drain period (MOSN's `graceful_timeout`). */
  readonly drainTimeoutMs: number;
  out(line: string): void;
  /** Called once, when the proxy has stopped; the process exits with 0. */
  onStopped(): void;
}

/**
 * Stops one proxy process in the steps StopSignals hands it. "drain": the listeners close at
 * once, so new connections are refused; open connections get the drain period, then are
 * closed; the process is done as soon as the last one is gone or the period ends. "now",
 * including during a drain: every connection is closed at once.
 */
export class GracefulStop {
  private state: "running" | "draining" | "stopped" = "running";
  private timer: unknown;

  constructor(private readonly server: Drainable, private readonly deps: GracefulStopDeps) {}

  step(level: StopLevel, reason: string): void {
    if (this.state === "stopped") return;
    if (level === "now") {
      const open = this.server.activeConnections;
      this.deps.out(
        this.state === "draining"
          ? `isthmus: ${reason}: closing ${plural(open, "connection")} now`
          : `isthmus: ${reason}: closing listeners and ${plural(open, "connection")}`,
      );
      // Listeners close as a drain would; whatever they still do after this, the process exits.
      this.server.closeListeners().catch(() => {});
      this.server.closeConnections();
      return this.finish();
    }
    if (this.state !== "running") return;
    this.state = "draining";
    this.deps.out(`isthmus: ${reason}: closing listeners`);
    this.server.closeListeners().then(
      () => this.drain(),
      () => this.drain(),
    );
  }

  private drain(): void {
    if (this.state !== "draining") return;
    const open = this.server.activeConnections;
    if (open === 0) return this.finish();
    this.deps.out(
      `isthmus: draining ${plural(open, "connection")} for up to ${formatDuration(this.deps.drainTimeoutMs)}`,
    );
    this.timer = this.deps.timers.setTimer(this.deps.drainTimeoutMs, () => {
      this.timer = undefined;
      if (this.state !== "draining") return;
      this.deps.out(`isthmus: drain period over: closing ${plural(this.server.activeConnections, "connection")}`);
      this.server.closeConnections();
      this.finish();
    });
    this.server.whenIdle().then(() => {
      if (this.state === "draining") this.finish();
    });
  }

  private finish(): void {
    if (this.state === "stopped") return;
    this.state = "stopped";
    if (this.timer !== undefined) this.deps.timers.clearTimer(this.timer);
    this.timer = undefined;
    this.deps.out("isthmus: stopped");
    this.deps.onStopped();
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
