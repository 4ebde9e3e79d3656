import type { Runtime, TimerHandle } from "../../net/runtime.ts";
import type { XProtocolOptions } from "./options.ts";

/** What keepalive needs of an upstream connection. */
export interface KeepaliveTarget {
  /** Sends a heartbeat and returns its id. */
  sendHeartbeat(): number;
  /** Heartbeat `id` was answered: its id is free again. */
  forgetHeartbeat(id: number): void;
  /** Heartbeat `id` went unanswered in time: its id is free again. */
  onHeartbeatFailed(id: number): void;
  /** Too many heartbeats failed in a row. */
  onKeepaliveDead(): void;
}

/**
 * MOSN's xprotocol keepalive on an upstream connection: when nothing was read for a whole
 * interval, a heartbeat goes out; one unanswered within the timeout counts as a failure, and
 * `keepaliveFailuresToClose` failures in a row close the connection, so a dead peer behind a
 * silent network is noticed without waiting for a request to time out. Traffic of any kind
 * counts as life.
 */
export class Keepalive {
  private ticker: TimerHandle | undefined;
  private pending: { id: number; timer: TimerHandle } | undefined;
  private readSinceTick = false;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: XProtocolOptions,
    private readonly target: KeepaliveTarget,
  ) {}

  start(): void {
    if (this.stopped || this.ticker !== undefined || this.options.keepaliveIntervalMs <= 0) return;
    this.schedule();
  }

  /** Bytes came in: the peer is alive. */
  onRead(): void {
    this.readSinceTick = true;
  }

  /** The answer to heartbeat `id` arrived; false when it was not ours. */
  onHeartbeatAck(id: number): boolean {
    if (this.pending?.id !== id) return false;
    this.runtime.clearTimer(this.pending.timer);
    this.target.forgetHeartbeat(id);
    this.pending = undefined;
    this.failures = 0;
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.ticker !== undefined) this.runtime.clearTimer(this.ticker);
    if (this.pending) this.runtime.clearTimer(this.pending.timer);
    this.ticker = undefined;
    this.pending = undefined;
  }

  private schedule(): void {
    this.ticker = this.runtime.setTimer(this.options.keepaliveIntervalMs, () => this.tick());
  }

  private tick(): void {
    this.ticker = undefined;
    if (this.stopped) return;
    if (!this.readSinceTick && this.pending === undefined) {
      const id = this.target.sendHeartbeat();
      this.pending = { id, timer: this.runtime.setTimer(this.options.keepaliveTimeoutMs, () => this.onTimeout(id)) };
    }
    this.readSinceTick = false;
    if (!this.stopped) this.schedule();
  }

  private onTimeout(id: number): void {
    if (this.stopped || this.pending?.id !== id) return;
    this.pending = undefined;
    this.target.onHeartbeatFailed(id);
    this.failures++;
    if (this.failures >= this.options.keepaliveFailuresToClose) {
      this.stop();
      this.target.onKeepaliveDead();
    }
  }
}
