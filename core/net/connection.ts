import { IsthmusError } from "../errors.ts";
import type { Metric } from "../observe/stats.ts";
import type { CloseEvent, CloseReason, CloseType, ConnectionCallbacks } from "./connection-events.ts";
import { FilterStatus, type ReadFilter, type ReadFilterCallbacks, type WriteFilter } from "./filter.ts";
import type { Runtime, TimerHandle } from "./runtime.ts";
import type { Socket } from "./socket.ts";

/** Counters a connection bumps in place; shared by every connection of a listener or cluster. */
export interface ConnectionStats {
  readonly total: Metric;
  readonly active: Metric;
  readonly bytesRead: Metric;
  readonly bytesWritten: Metric;
}

export interface ConnectionOptions {
  readonly runtime: Runtime;
  /** Close after this long with no byte read or written; 0 disables. */
  readonly idleTimeoutMs?: number;
  /** How long a flush-close waits for the peer's FIN before destroying. */
  readonly flushCloseTimeoutMs?: number;
  readonly stats?: ConnectionStats;
}

const EMPTY = new Uint8Array(0);
const DEFAULT_FLUSH_CLOSE_TIMEOUT_MS = 10_000;
let nextId = 1;

/**
 * A socket plus what MOSN's connection adds: read and write filter chains, counted read
 * disabling, watermark callbacks, idle timeout, close events and byte counters. Used for
 * downstream (accepted) and upstream (connected) sockets alike.
 */
export class Connection {
  readonly id = nextId++;
  bytesRead = 0;
  bytesWritten = 0;
  private readonly readFilters: ReadFilter[] = [];
  private readonly writeFilters: WriteFilter[] = [];
  private readonly callbacks: ConnectionCallbacks[] = [];
  private state: "open" | "closing" | "closed" = "open";
  private closingEvent: CloseEvent | undefined;
  private readDisableCount = 0;
  private aboveHighWatermark = false;
  private lastActivity = 0;
  private idleTimer: TimerHandle | undefined;
  private flushTimer: TimerHandle | undefined;
  private readonly runtime: Runtime;
  private idleTimeoutMs = 0;
  private readonly flushCloseTimeoutMs: number;
  private readonly stats: ConnectionStats | undefined;

  constructor(readonly socket: Socket, opts: ConnectionOptions) {
    this.runtime = opts.runtime;
    this.flushCloseTimeoutMs = opts.flushCloseTimeoutMs ?? DEFAULT_FLUSH_CLOSE_TIMEOUT_MS;
    this.stats = opts.stats;
    if (this.stats) {
      this.stats.total.value++;
      this.stats.active.value++;
    }
    socket.ondata = (b) => this.onSocketData(b);
    socket.onend = () => this.onSocketEnd();
    socket.ondrain = () => this.onSocketDrain();
    socket.onclose = (err) => this.onSocketClose(err);
    this.setIdleTimeout(opts.idleTimeoutMs ?? 0);
  }

  /** (Re)starts the idle timeout; 0 disables it. A filter may set its own (tcp_proxy does). */
  setIdleTimeout(ms: number): void {
    if (this.idleTimer !== undefined) this.runtime.clearTimer(this.idleTimer);
    this.idleTimer = undefined;
    this.idleTimeoutMs = ms;
    if (ms > 0 && this.state !== "closed") {
      this.lastActivity = this.runtime.now();
      this.idleTimer = this.runtime.setTimer(ms, () => this.checkIdle());
    }
  }

  get closed(): boolean {
    return this.state === "closed";
  }

  /** True while closing or closed: writes are refused and inbound bytes dropped. */
  get closing(): boolean {
    return this.state !== "open";
  }

  addReadFilter(filter: ReadFilter): void {
    this.readFilters.push(filter);
  }

  addWriteFilter(filter: WriteFilter): void {
    this.writeFilters.push(filter);
  }

  addConnectionCallbacks(cb: ConnectionCallbacks): void {
    this.callbacks.push(cb);
  }

  /**
   * Hands each read filter its callbacks and runs `onNewConnection` down the chain.
   * Returns false when the connection was closed by a filter while starting.
   */
  initializeReadFilters(): boolean {
    for (let i = 0; i < this.readFilters.length; i++) {
      const f = this.readFilters[i];
      const cb: ReadFilterCallbacks = { connection: this, continueReading: () => this.startFrom(i + 1) };
      f.initializeReadFilterCallbacks?.(cb);
    }
    this.startFrom(0);
    return !this.closing;
  }

  private startFrom(index: number): void {
    for (let i = index; i < this.readFilters.length && !this.closing; i++) {
      const f = this.readFilters[i];
      if (f.onNewConnection && f.onNewConnection() === FilterStatus.Stop) return;
    }
  }

  /**
   * Sends bytes through the write filters to the socket. Returns false when the write queue is
   * past the buffer limit (watermark callbacks fire too); bytes are never dropped while open.
   */
  write(data: Uint8Array): boolean {
    if (this.state !== "open") return false;
    for (let i = 0; i < this.writeFilters.length; i++) {
      if (this.writeFilters[i].onWrite(data) === FilterStatus.Stop) return true;
    }
    this.bytesWritten += data.length;
    if (this.stats) this.stats.bytesWritten.value += data.length;
    if (this.idleTimer !== undefined) this.lastActivity = this.runtime.now();
    const ok = this.socket.write(data);
    if (!ok && !this.aboveHighWatermark) {
      this.aboveHighWatermark = true;
      for (const cb of this.callbacks) cb.onAboveWriteBufferHighWatermark?.();
    }
    return ok;
  }

  /** Half-closes: flushes, then sends FIN. Reading goes on. */
  end(): void {
    if (this.state === "open") this.socket.end();
  }

  /**
   * Stops (true) or restarts (false) reading. Counted, as Envoy's readDisable: every disable
   * needs its own enable, so independent reasons (connecting, backpressure) do not clash.
   */
  readDisable(disable: boolean): void {
    if (this.state !== "open") return;
    if (disable) {
      if (this.readDisableCount++ === 0) this.socket.pause();
    } else if (this.readDisableCount > 0 && --this.readDisableCount === 0) {
      this.socket.resume();
    }
  }

  get readDisabled(): boolean {
    return this.readDisableCount > 0;
  }

  /** Bytes accepted by write that the OS has not taken yet. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  /**
   * "now" destroys the socket (abortively when `error` is given) and reports the close at once.
   * "flush" sends what is queued, then FIN, and closes when the peer does (or after
   * `flushCloseTimeoutMs`); inbound bytes are dropped meanwhile.
   */
  close(type: CloseType, reason: CloseReason = "local_close", error?: Error): void {
    if (this.state === "closed") return;
    const event: CloseEvent = error ? { reason, error } : { reason };
    if (type === "now") {
      this.detachSocket();
      this.socket.destroy(error);
      this.finish(event);
      return;
    }
    if (this.state === "closing") return;
    this.state = "closing";
    this.closingEvent = event;
    // Keep reading so the peer's FIN is seen; what arrives is dropped.
    if (this.readDisableCount > 0) {
      this.readDisableCount = 0;
      this.socket.resume();
    }
    this.socket.end();
    this.flushTimer = this.runtime.setTimer(this.flushCloseTimeoutMs, () => this.close("now", reason, error));
  }

  private onSocketData(data: Uint8Array): void {
    if (this.state !== "open") return;
    this.bytesRead += data.length;
    if (this.stats) this.stats.bytesRead.value += data.length;
    if (this.idleTimer !== undefined) this.lastActivity = this.runtime.now();
    this.runReadFilters(data, false);
  }

  private onSocketEnd(): void {
    if (this.state !== "open") return;
    this.runReadFilters(EMPTY, true);
  }

  private runReadFilters(data: Uint8Array, endStream: boolean): void {
    const filters = this.readFilters;
    try {
      for (let i = 0; i < filters.length; i++) {
        if (filters[i].onData(data, endStream) === FilterStatus.Stop || this.state !== "open") return;
      }
    } catch (err) {
      // A filter bug costs this connection, not the process and not other connections.
      this.close("now", "error", new IsthmusError("ISTHMUS_FILTER_FAILED", `read filter failed: ${(err as Error)?.message ?? err}`, { cause: err }));
    }
  }

  private onSocketDrain(): void {
    if (!this.aboveHighWatermark || this.state !== "open") return;
    this.aboveHighWatermark = false;
    for (const cb of this.callbacks) cb.onBelowWriteBufferLowWatermark?.();
  }

  private onSocketClose(err: Error | undefined): void {
    const event = this.closingEvent ?? (err ? { reason: "error" as const, error: err } : { reason: "remote_close" as const });
    this.finish(event);
  }

  private checkIdle(): void {
    this.idleTimer = undefined;
    if (this.state === "closed") return;
    const idle = this.runtime.now() - this.lastActivity;
    if (idle >= this.idleTimeoutMs) {
      this.close("now", "idle_timeout");
      return;
    }
    this.idleTimer = this.runtime.setTimer(this.idleTimeoutMs - idle, () => this.checkIdle());
  }

  private detachSocket(): void {
    const s = this.socket;
    s.ondata = s.onend = s.ondrain = s.onclose = null;
  }

  private finish(event: CloseEvent): void {
    if (this.state === "closed") return;
    this.state = "closed";
    if (this.idleTimer !== undefined) this.runtime.clearTimer(this.idleTimer);
    if (this.flushTimer !== undefined) this.runtime.clearTimer(this.flushTimer);
    this.idleTimer = this.flushTimer = undefined;
    if (this.stats) this.stats.active.value--;
    for (const cb of this.callbacks) cb.onClose?.(event);
  }
}
