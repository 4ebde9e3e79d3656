import { IsthmusError } from "../errors.ts";
import type { Metric } from "../observe/stats.ts";
import type { Address } from "./address.ts";
import type { CloseEvent, CloseReason, CloseType, ConnectionCallbacks } from "./connection-events.ts";
import { FilterStatus, type ReadFilter, type ReadFilterCallbacks, type WriteFilter } from "./filter.ts";
import { DEFAULT_HIGH_WATER_MARK, type Runtime, type TimerHandle } from "./runtime.ts";
import { kindOfErrno, SocketError } from "./socket-error.ts";
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
  /** The socket's high-water mark (the listener's or cluster's buffer limit); default 64 KiB. */
  readonly bufferLimitBytes?: number;
}

/** An outbound connection: where to and how long to wait. Its buffer limit also bounds what may be queued while connecting. */
export interface ConnectOptions extends ConnectionOptions {
  readonly address: Address;
  /** Fails the connect with a `timeout` SocketError after this long; 0 waits for the OS. */
  readonly connectTimeoutMs: number;
}

export type ConnectionState = "connecting" | "open" | "closing" | "closed";

const EMPTY = new Uint8Array(0);
const NO_ADDRESS: Address = Object.freeze({ host: "", port: 0 });
const DEFAULT_FLUSH_CLOSE_TIMEOUT_MS = 10_000;
let nextId = 1;

/** A runtime's connect failure in our terms, keeping the runtime's error as the cause. */
function asSocketError(err: unknown): SocketError {
  if (err instanceof SocketError) return err;
  const e = err as { code?: string; message?: string } | undefined;
  return new SocketError(kindOfErrno(e?.code), e?.message ?? String(err), {
    errno: e?.code,
    cause: err,
    source: "upstream",
  });
}

/**
 * A socket plus what MOSN's connection adds: read and write filter chains, counted read
 * disabling, watermark callbacks, idle timeout, close events and byte counters. Used for
 * downstream (accepted) and upstream (connected) sockets alike.
 *
 * An outbound connection (`Connection.connect`) exists from the moment the connect starts, in
 * the "connecting" state: owners attach to it, write to it (bytes queue until the socket is up)
 * and may close it, which aborts the connect. Filters and callbacks can be removed again, so a
 * pooled connection passes from owner to owner with nothing of the last one attached.
 */
export class Connection {
  readonly id = nextId++;
  bytesRead = 0;
  bytesWritten = 0;
  // Replaced, never mutated, on add/remove: a dispatch loop keeps iterating the array it began
  // with, and checks membership only when an owner changed it mid-dispatch.
  private readFilters: readonly ReadFilter[] = [];
  private writeFilters: readonly WriteFilter[] = [];
  private callbacks: readonly ConnectionCallbacks[] = [];
  private socket: Socket | null;
  private connState: ConnectionState;
  private closingEvent: CloseEvent | undefined;
  private readDisableCount = 0;
  private above = false;
  private lastActivity = 0;
  private idleTimer: TimerHandle | undefined;
  private flushTimer: TimerHandle | undefined;
  private readonly runtime: Runtime;
  private idleTimeoutMs = 0;
  private readonly flushCloseTimeoutMs: number;
  private readonly stats: ConnectionStats | undefined;
  private remoteAddress: Address;
  private localAddress: Address;
  // While connecting: what owners wrote, whether they ended, how to give up.
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private pendingEnd = false;
  private bufferLimit = DEFAULT_HIGH_WATER_MARK;
  private connectAbort: AbortController | undefined;
  private connectTimer: TimerHandle | undefined;
  /** What this connection was given to write during the current read dispatch, sent at its end. */
  private batched: Uint8Array[] | null = null;
  private batchedBytes = 0;

  /**
   * Writes made while some connection's read filters run are held and sent together when that
   * dispatch ends, as Envoy flushes a connection's write buffer once per event: an encoder's
   * response head and body (or a pipelined burst) leave in one writev instead of one system
   * call each. Nested dispatches (a read that triggers a read on another connection) share the
   * batch; the outermost one flushes.
   */
  private static batchDepth = 0;
  private static dirty: Connection[] = [];

  /** Wraps an open socket (an accepted one). Outbound connections come from `connect`. */
  constructor(socket: Socket, opts: ConnectionOptions);
  constructor(socket: Socket | null, opts: ConnectionOptions) {
    this.runtime = opts.runtime;
    this.bufferLimit = opts.bufferLimitBytes ?? DEFAULT_HIGH_WATER_MARK;
    this.flushCloseTimeoutMs = opts.flushCloseTimeoutMs ?? DEFAULT_FLUSH_CLOSE_TIMEOUT_MS;
    this.stats = opts.stats;
    if (this.stats) {
      this.stats.total.value++;
      this.stats.active.value++;
    }
    this.socket = socket;
    this.remoteAddress = socket?.remote ?? NO_ADDRESS;
    this.localAddress = socket?.local ?? NO_ADDRESS;
    this.connState = socket ? "open" : "connecting";
    if (socket) {
      this.bindSocket(socket);
      this.setIdleTimeout(opts.idleTimeoutMs ?? 0);
    } else {
      this.idleTimeoutMs = opts.idleTimeoutMs ?? 0;
    }
  }

  /**
   * Starts an outbound connection and returns it at once, "connecting". Owners learn the outcome
   * from `onConnected`, or from `onClose` with reason "connect_failed" / "connect_timeout" and
   * a SocketError saying why (refused, unreachable, ...). Closing it while connecting aborts
   * the connect and reports "local_close".
   */
  static connect(opts: ConnectOptions): Connection {
    const conn = new (Connection as unknown as new (s: Socket | null, o: ConnectionOptions) => Connection)(null, opts);
    conn.startConnect(opts);
    return conn;
  }

  get state(): ConnectionState {
    return this.connState;
  }

  get connecting(): boolean {
    return this.connState === "connecting";
  }

  get closed(): boolean {
    return this.connState === "closed";
  }

  /** True while closing or closed: writes are refused and inbound bytes dropped. */
  get closing(): boolean {
    return this.connState === "closing" || this.connState === "closed";
  }

  /** The peer's address (for an outbound connection, the address being connected to). */
  get remote(): Address {
    return this.remoteAddress;
  }

  /** Our end's address; empty until an outbound connection is up. */
  get local(): Address {
    return this.localAddress;
  }

  /** (Re)starts the idle timeout; 0 disables it. A filter may set its own (tcp_proxy does). */
  setIdleTimeout(ms: number): void {
    if (this.idleTimer !== undefined) this.runtime.clearTimer(this.idleTimer);
    this.idleTimer = undefined;
    this.idleTimeoutMs = ms;
    // A connecting connection is under its connect timeout; the idle clock starts when it is up.
    if (ms > 0 && this.socket !== null && this.connState !== "closed") {
      this.lastActivity = this.runtime.now();
      this.idleTimer = this.runtime.setTimer(ms, () => this.checkIdle());
    }
  }

  addReadFilter(filter: ReadFilter): void {
    this.readFilters = [...this.readFilters, filter];
  }

  /** Detaches a read filter; it sees no further bytes, even from a dispatch under way. */
  removeReadFilter(filter: ReadFilter): void {
    this.readFilters = this.readFilters.filter((f) => f !== filter);
  }

  addWriteFilter(filter: WriteFilter): void {
    this.writeFilters = [...this.writeFilters, filter];
  }

  removeWriteFilter(filter: WriteFilter): void {
    this.writeFilters = this.writeFilters.filter((f) => f !== filter);
  }

  addConnectionCallbacks(cb: ConnectionCallbacks): void {
    this.callbacks = [...this.callbacks, cb];
  }

  /** Detaches callbacks; they hear of no later event, even one being dispatched now. */
  removeConnectionCallbacks(cb: ConnectionCallbacks): void {
    this.callbacks = this.callbacks.filter((c) => c !== cb);
  }

  /** How many filters and callbacks are attached: a pool checks a returned connection with it. */
  get attachments(): { readonly readFilters: number; readonly writeFilters: number; readonly callbacks: number } {
    return {
      readFilters: this.readFilters.length,
      writeFilters: this.writeFilters.length,
      callbacks: this.callbacks.length,
    };
  }

  /**
   * Hands each read filter its callbacks and runs `onNewConnection` down the chain.
   * Returns false when the connection was closed by a filter while starting.
   */
  /** Tells every read filter that the listener drains (ReadFilter.onDrain). */
  drain(): void {
    if (this.closing) return;
    for (const f of this.readFilters) {
      if (this.closing) return;
      f.onDrain?.();
    }
  }

  initializeReadFilters(): boolean {
    const filters = this.readFilters;
    for (let i = 0; i < filters.length; i++) {
      const cb: ReadFilterCallbacks = { connection: this, continueReading: () => this.startFrom(i + 1) };
      filters[i]!.initializeReadFilterCallbacks?.(cb);
    }
    this.startFrom(0);
    return !this.closing;
  }

  private startFrom(index: number): void {
    const filters = this.readFilters;
    for (let i = index; i < filters.length && !this.closing; i++) {
      const f = filters[i]!;
      if (f.onNewConnection && f.onNewConnection() === FilterStatus.Stop) return;
    }
  }

  /**
   * Sends bytes through the write filters to the socket (queued while connecting). Returns false
   * when the write queue is past the buffer limit (watermark callbacks fire too); bytes are never
   * dropped while open or connecting.
   */
  write(data: Uint8Array): boolean {
    if (this.closing) return false;
    const filters = this.writeFilters;
    for (let i = 0; i < filters.length; i++) {
      if (filters[i]!.onWrite(data) === FilterStatus.Stop) return true;
    }
    this.countWritten(data.length);
    if (this.socket === null) return this.queuePending(data);
    if (Connection.batchDepth > 0) return this.batch(data);
    const ok = this.socket.write(data);
    if (!ok) this.aboveHighWatermark();
    return ok;
  }

  /**
   * Writes several buffers as one (an encoder's head and body), in one system call where the
   * runtime allows. Each buffer passes the write filters as `write` would pass it.
   */
  writev(chunks: readonly Uint8Array[]): boolean {
    if (this.closing) return false;
    let out = chunks;
    if (this.writeFilters.length > 0) {
      const kept: Uint8Array[] = [];
      for (const c of chunks) if (this.writeFilters.every((f) => f.onWrite(c) !== FilterStatus.Stop)) kept.push(c);
      out = kept;
    }
    let n = 0;
    for (let i = 0; i < out.length; i++) n += out[i]!.length;
    this.countWritten(n);
    if (this.socket === null) {
      let ok = true;
      for (const c of out) ok = this.queuePending(c);
      return ok;
    }
    if (Connection.batchDepth > 0) {
      let ok = true;
      for (let i = 0; i < out.length; i++) ok = this.batch(out[i]!);
      return ok;
    }
    const ok = this.socket.writev(out);
    if (!ok) this.aboveHighWatermark();
    return ok;
  }

  /**
   * Holds `data` until the current dispatch ends. The answer is the socket's queue plus what is
   * held against the queue limit: backpressure shows as soon as it would after a real write.
   */
  private batch(data: Uint8Array): boolean {
    if (this.batched === null) {
      this.batched = [];
      Connection.dirty.push(this);
    }
    this.batched.push(data);
    this.batchedBytes += data.length;
    return !this.above && this.socket!.bufferedAmount + this.batchedBytes <= this.bufferLimit;
  }

  /** Sends what the dispatch held, in one call. */
  private flushBatch(): void {
    const chunks = this.batched;
    if (chunks === null) return;
    this.batched = null;
    this.batchedBytes = 0;
    if (this.socket === null || this.connState === "closed") return;
    const ok = chunks.length === 1 ? this.socket.write(chunks[0]!) : this.socket.writev(chunks);
    if (!ok) this.aboveHighWatermark();
  }

  private static flushAll(): void {
    // A flush can fire callbacks that write again (watermarks): loop until nothing is held.
    while (Connection.dirty.length > 0) {
      const list = Connection.dirty;
      Connection.dirty = [];
      for (let i = 0; i < list.length; i++) list[i]!.flushBatch();
    }
  }

  /** Half-closes: flushes, then sends FIN (after connecting, for an outbound connection). Reading goes on. */
  end(): void {
    if (this.connState === "open") {
      this.flushBatch();
      this.socket!.end();
    } else if (this.connState === "connecting") this.pendingEnd = true;
  }

  /**
   * Stops (true) or restarts (false) reading. Counted, as Envoy's readDisable: every disable
   * needs its own enable, so independent reasons (connecting, backpressure) do not clash.
   */
  readDisable(disable: boolean): void {
    if (this.connState !== "open" && this.connState !== "connecting") return;
    const s = this.socket;
    if (disable) {
      if (this.readDisableCount++ === 0) s?.pause();
    } else if (this.readDisableCount > 0 && --this.readDisableCount === 0) {
      s?.resume();
    }
  }

  get readDisabled(): boolean {
    return this.readDisableCount > 0;
  }

  /** True between a `false` from write and the drain back to the low-water mark. */
  get aboveWriteBufferHighWatermark(): boolean {
    return this.above;
  }

  /** Bytes accepted by write that the OS has not taken yet (including those queued while connecting). */
  get bufferedAmount(): number {
    return this.socket === null ? this.pendingBytes : this.socket.bufferedAmount + this.batchedBytes;
  }

  /**
   * "now" destroys the socket (abortively when `error` is given) and reports the close at once;
   * while connecting it aborts the connect. "flush" sends what is queued, then FIN, and closes
   * when the peer does (or after `flushCloseTimeoutMs`); inbound bytes are dropped meanwhile.
   * A flush-close while connecting sends the queued bytes once connected, then closes.
   */
  close(type: CloseType, reason: CloseReason = "local_close", error?: Error): void {
    if (this.connState === "closed") return;
    const event: CloseEvent = error ? { reason, error } : { reason };
    if (type === "now" || (this.connState === "connecting" && this.pendingBytes === 0 && !this.pendingEnd)) {
      this.destroyNow(event, error);
      return;
    }
    if (this.connState === "closing") return;
    const wasConnecting = this.connState === "connecting";
    this.connState = "closing";
    this.closingEvent = event;
    if (!wasConnecting) this.startFlushClose(event);
  }

  private destroyNow(event: CloseEvent, error: Error | undefined): void {
    const s = this.socket;
    this.batched = null;
    this.batchedBytes = 0;
    if (s === null) {
      this.abortConnect();
    } else {
      this.detachSocket(s);
      s.destroy(error);
    }
    this.finish(event);
  }

  private startFlushClose(event: CloseEvent): void {
    const s = this.socket!;
    this.flushBatch();
    // Keep reading so the peer's FIN is seen; what arrives is dropped.
    if (this.readDisableCount > 0) {
      this.readDisableCount = 0;
      s.resume();
    }
    s.end();
    this.flushTimer = this.runtime.setTimer(
      this.flushCloseTimeoutMs,
      () => this.close("now", event.reason, event.error),
    );
  }

  private startConnect(opts: ConnectOptions): void {
    this.remoteAddress = opts.address;
    this.bufferLimit = opts.bufferLimitBytes ?? DEFAULT_HIGH_WATER_MARK;
    const ac = new AbortController();
    this.connectAbort = ac;
    let timedOut = false;
    if (opts.connectTimeoutMs > 0) {
      const ms = opts.connectTimeoutMs;
      this.connectTimer = this.runtime.setTimer(ms, () => {
        this.connectTimer = undefined;
        timedOut = true;
        ac.abort(
          new SocketError("timeout", `connect to ${opts.address.host}:${opts.address.port} timed out after ${ms}ms`, {
            errno: "ETIMEDOUT",
            source: "upstream",
          }),
        );
      });
    }
    this.runtime
      .connect({
        host: opts.address.host,
        port: opts.address.port,
        signal: ac.signal,
        highWaterMark: this.bufferLimit,
      })
      .then(
        (socket) => {
          if (this.connectAbort !== ac) socket.destroy();
          else this.onConnected(socket);
        },
        (err: unknown) => {
          if (this.connectAbort !== ac) return; // closed by its owner meanwhile; already reported
          this.clearConnect();
          const error = timedOut ? (ac.signal.reason as SocketError) : asSocketError(err);
          this.finish({ reason: timedOut ? "connect_timeout" : "connect_failed", error });
        },
      );
  }

  private onConnected(socket: Socket): void {
    this.clearConnect();
    this.socket = socket;
    this.localAddress = socket.local;
    this.bindSocket(socket);
    if (this.readDisableCount > 0) socket.pause();
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const ok = pending.length === 0 || socket.writev(pending);
    if (this.connState === "closing") {
      this.startFlushClose(this.closingEvent!);
      return;
    }
    this.connState = "open";
    if (this.pendingEnd) socket.end();
    this.setIdleTimeout(this.idleTimeoutMs);
    const cbs = this.callbacks;
    for (let i = 0; i < cbs.length && this.connState === "open"; i++) cbs[i]!.onConnected?.();
    // Owners were told to stop while bytes queued here; the socket took them, so say so.
    if (this.above && ok && this.connState === "open") this.onSocketDrain();
  }

  private abortConnect(): void {
    const ac = this.connectAbort;
    if (!ac) return;
    this.clearConnect();
    ac.abort(new SocketError("aborted", "connect aborted: the connection was closed", { source: "upstream" }));
  }

  private clearConnect(): void {
    if (this.connectTimer !== undefined) this.runtime.clearTimer(this.connectTimer);
    this.connectTimer = undefined;
    this.connectAbort = undefined;
  }

  private queuePending(data: Uint8Array): boolean {
    if (data.length > 0) {
      this.pending.push(data);
      this.pendingBytes += data.length;
    }
    if (this.pendingBytes > this.bufferLimit) {
      this.aboveHighWatermark();
      return false;
    }
    return true;
  }

  private countWritten(n: number): void {
    this.bytesWritten += n;
    if (this.stats) this.stats.bytesWritten.value += n;
    if (this.idleTimer !== undefined) this.lastActivity = this.runtime.now();
  }

  private aboveHighWatermark(): void {
    if (this.above) return;
    this.above = true;
    const cbs = this.callbacks;
    for (let i = 0; i < cbs.length; i++) cbs[i]!.onAboveWriteBufferHighWatermark?.();
  }

  private bindSocket(socket: Socket): void {
    socket.ondata = (b) => this.onSocketData(b);
    socket.onend = () => this.onSocketEnd();
    socket.ondrain = () => this.onSocketDrain();
    socket.onclose = (err) => this.onSocketClose(err);
  }

  private onSocketData(data: Uint8Array): void {
    if (this.connState !== "open") return;
    this.bytesRead += data.length;
    if (this.stats) this.stats.bytesRead.value += data.length;
    if (this.idleTimer !== undefined) this.lastActivity = this.runtime.now();
    Connection.batchDepth++;
    try {
      this.runReadFilters(data, false);
    } finally {
      if (--Connection.batchDepth === 0) Connection.flushAll();
    }
  }

  private onSocketEnd(): void {
    if (this.connState !== "open") return;
    Connection.batchDepth++;
    try {
      this.runReadFilters(EMPTY, true);
    } finally {
      if (--Connection.batchDepth === 0) Connection.flushAll();
    }
  }

  private runReadFilters(data: Uint8Array, endStream: boolean): void {
    const filters = this.readFilters;
    try {
      for (let i = 0; i < filters.length; i++) {
        const f = filters[i]!;
        if (filters !== this.readFilters && !this.readFilters.includes(f)) continue;
        if (f.onData(data, endStream) === FilterStatus.Stop || this.connState !== "open") return;
      }
    } catch (err) {
      // A filter bug costs this connection, not the process and not other connections.
      this.close(
        "now",
        "error",
        new IsthmusError("ISTHMUS_FILTER_FAILED", `read filter failed: ${(err as Error)?.message ?? err}`, {
          cause: err,
        }),
      );
    }
  }

  private onSocketDrain(): void {
    if (!this.above || this.connState !== "open") return;
    this.above = false;
    this.dispatch((cb) => cb.onBelowWriteBufferLowWatermark?.());
  }

  private onSocketClose(err: Error | undefined): void {
    const event = this.closingEvent ??
      (err ? { reason: "error" as const, error: err } : { reason: "remote_close" as const });
    this.finish(event);
  }

  private checkIdle(): void {
    this.idleTimer = undefined;
    if (this.connState === "closed") return;
    const idle = this.runtime.now() - this.lastActivity;
    if (idle >= this.idleTimeoutMs) {
      this.close("now", "idle_timeout");
      return;
    }
    this.idleTimer = this.runtime.setTimer(this.idleTimeoutMs - idle, () => this.checkIdle());
  }

  private detachSocket(s: Socket): void {
    s.ondata =
      s.onend =
      s.ondrain =
      s.onclose =
        null;
  }

  /** Calls `fn` on each attached callback, skipping any an earlier one removed meanwhile. */
  private dispatch(fn: (cb: ConnectionCallbacks) => void): void {
    const cbs = this.callbacks;
    for (let i = 0; i < cbs.length; i++) {
      const cb = cbs[i]!;
      if (cbs !== this.callbacks && !this.callbacks.includes(cb)) continue;
      fn(cb);
    }
  }

  private finish(event: CloseEvent): void {
    if (this.connState === "closed") return;
    this.connState = "closed";
    if (this.idleTimer !== undefined) this.runtime.clearTimer(this.idleTimer);
    if (this.flushTimer !== undefined) this.runtime.clearTimer(this.flushTimer);
    this.idleTimer = this.flushTimer = undefined;
    this.clearConnect();
    this.pending = [];
    this.pendingBytes = 0;
    if (this.stats) this.stats.active.value--;
    this.dispatch((cb) => cb.onClose?.(event));
  }
}
