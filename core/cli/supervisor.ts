import type { Runtime } from "../net/runtime.ts";
import { formatDuration } from "./format-duration.ts";
import { SIGNAL_FOR_LEVEL, type StopLevel, type StopSignal } from "./stop-signals.ts";

/** One worker process, as the primary's runtime started it. */
export interface WorkerProcess {
  readonly pid: number;
  /** Sends a signal; does nothing once the process has exited (Deno's kill would throw). */
  kill(signal: StopSignal | "SIGKILL"): void;
}

/**
 * Starts one worker running the same command. `onExit` is called once when it exits, with its
 * exit code, or the signal that ended it.
 */
export type SpawnWorker = (onExit: (code: number | null, signal: string | null) => void) => WorkerProcess;

/** Worker deaths allowed within a sliding window before the primary gives up. */
export interface RestartBudget {
  readonly maxDeaths: number;
  readonly windowMs: number;
}

/**
 * Five deaths a minute: enough to ride out a rare crash, few enough that a worker which dies at
 * start-up stops the proxy within seconds instead of looping forever.
 */
export const DEFAULT_RESTART_BUDGET: RestartBudget = Object.freeze({ maxDeaths: 5, windowMs: 60_000 });

/** How long past its own drain period (or after "now") a worker gets before SIGKILL. */
export const KILL_GRACE_MS = 5_000;

export interface SupervisorDeps {
  readonly workers: number;
  readonly spawn: SpawnWorker;
  readonly timers: Pick<Runtime, "setTimer" | "clearTimer" | "now">;
  /** The workers' drain period (MOSN's `graceful_timeout`), to know when to give up on them. */
  readonly drainTimeoutMs: number;
  readonly budget?: RestartBudget;
  out(line: string): void;
  err(line: string): void;
  /**
   * Called once, when the last worker has exited after a stop: with 0 for a requested stop,
   * 1 when workers died too often or had to be killed.
   */
  onStopped(code: number): void;
}

/**
 * The primary of `--workers N`: keeps N workers running, replacing any that dies, and stops
 * them in the steps StopSignals hands it (each worker drains its own connections).
 */
export class Supervisor {
  private readonly live = new Map<number, WorkerProcess>();
  private readonly deaths: number[] = [];
  private readonly budget: RestartBudget;
  private state: "running" | "drain" | "now" | "stopped" = "running";
  private code = 0;
  private killTimer: unknown;

  constructor(private readonly deps: SupervisorDeps) {
    this.budget = deps.budget ?? DEFAULT_RESTART_BUDGET;
  }

  /** Pids of the workers running now. */
  get pids(): number[] {
    return [...this.live.values()].map((w) => w.pid);
  }

  start(): void {
    for (let slot = 0; slot < this.deps.workers; slot++) this.spawn(slot);
  }

  step(level: StopLevel, reason: string): void {
    if (this.state === "stopped" || this.state === "now" || this.state === level) return;
    this.state = level;
    this.deps.out(`isthmus: ${reason}: stopping ${this.live.size} worker${this.live.size === 1 ? "" : "s"}`);
    this.signalAll(level);
  }

  private spawn(slot: number): void {
    if (this.state !== "running") return;
    let worker: WorkerProcess | undefined;
    let exited = false;
    const onExit = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      if (this.live.get(slot) === worker) this.live.delete(slot);
      this.exited(slot, worker?.pid, code, signal);
    };
    try {
      worker = this.deps.spawn(onExit);
    } catch (err) {
      this.deps.err(`isthmus: cannot start worker ${slot + 1}: ${(err as Error).message}`);
      return onExit(null, null);
    }
    if (!exited) this.live.set(slot, worker!);
  }

  private exited(slot: number, pid: number | undefined, code: number | null, signal: string | null): void {
    if (this.state !== "running") {
      if (this.live.size === 0) this.finish();
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const now = this.deps.timers.now();
    this.deaths.push(now);
    while (this.deaths.length > 0 && this.deaths[0]! <= now - this.budget.windowMs) this.deaths.shift();
    if (this.deaths.length > this.budget.maxDeaths) {
      this.deps.err(`isthmus: worker ${slot + 1}${pid ? ` (pid ${pid})` : ""} ${how}`);
      this.deps.err(
        `isthmus: workers died ${this.deaths.length} times within ${formatDuration(this.budget.windowMs)}: giving up`,
      );
      this.code = 1;
      this.state = "drain";
      this.signalAll("drain");
      return;
    }
    this.deps.err(`isthmus: worker ${slot + 1}${pid ? ` (pid ${pid})` : ""} ${how}; starting a new one`);
    this.spawn(slot);
  }

  private signalAll(level: StopLevel): void {
    if (this.live.size === 0) return this.finish();
    for (const w of this.live.values()) w.kill(SIGNAL_FOR_LEVEL[level]);
    if (this.killTimer !== undefined) this.deps.timers.clearTimer(this.killTimer);
    const wait = (level === "drain" ? this.deps.drainTimeoutMs : 0) + KILL_GRACE_MS;
    this.killTimer = this.deps.timers.setTimer(wait, () => {
      this.killTimer = undefined;
      this.deps.err(
        `isthmus: ${this.live.size} worker${this.live.size === 1 ? "" : "s"} still running ${
          formatDuration(wait)
        } after the stop: killing`,
      );
      this.code = 1;
      for (const w of this.live.values()) w.kill("SIGKILL");
    });
  }

  private finish(): void {
    if (this.state === "stopped") return;
    this.state = "stopped";
    if (this.killTimer !== undefined) this.deps.timers.clearTimer(this.killTimer);
    this.killTimer = undefined;
    this.deps.out("isthmus: stopped");
    this.deps.onStopped(this.code);
  }
}
