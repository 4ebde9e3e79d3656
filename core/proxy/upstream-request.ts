import type { Cancellable, ConnPool, PoolCallbacks, PoolFailure } from "../pool/conn-pool.ts";
import type { HeaderMap } from "../stream/header-map.ts";
import type { ClientStream, MessageListener, ResetReason, StreamCallbacks } from "../stream/types.ts";
import type { Host } from "../upstream/types.ts";

/** What an upstream request reports to the request it belongs to. */
export interface UpstreamRequestOwner {
  onUpstreamReady(up: UpstreamRequest): void;
  onUpstreamPoolFailure(up: UpstreamRequest, reason: PoolFailure, details: string): void;
  onUpstreamHeaders(up: UpstreamRequest, headers: HeaderMap, end: boolean): void;
  onUpstreamData(up: UpstreamRequest, chunk: Uint8Array, end: boolean): void;
  onUpstreamTrailers(up: UpstreamRequest, trailers: HeaderMap): void;
  onUpstreamReset(up: UpstreamRequest, reason: ResetReason, details: string): void;
  /** The upstream connection's write queue is past its limit (true) or drained (false). */
  onUpstreamBackpressure(up: UpstreamRequest, above: boolean): void;
}

/**
 * One try of a request against one host (MOSN's upstreamRequest): waits for the pool, then
 * carries the stream's response parts and events to its owner. Abandoning it (a retry, a
 * timeout, a client that left) cancels the pool wait or resets the stream, so nothing of the
 * try stays attached anywhere.
 */
export class UpstreamRequest implements PoolCallbacks, MessageListener, StreamCallbacks {
  stream: ClientStream | undefined;
  /** The response ended or the try was given up: no further event reaches the owner. */
  done = false;
  private waiting: Cancellable | undefined;

  constructor(private readonly owner: UpstreamRequestOwner, readonly host: Host) {}

  /** Asks `pool` for a stream; the owner hears of it, possibly before this returns. */
  start(pool: ConnPool): void {
    const pending = pool.newStream(this, this);
    if (pending && !this.stream && !this.done) this.waiting = pending;
  }

  get ready(): boolean {
    return this.stream !== undefined && !this.done;
  }

  onPoolReady(stream: ClientStream): void {
    this.waiting = undefined;
    if (this.done) {
      stream.reset("local_reset");
      return;
    }
    this.stream = stream;
    stream.setCallbacks(this);
    this.owner.onUpstreamReady(this);
  }

  onPoolFailure(reason: PoolFailure, _host: Host, details: string): void {
    this.waiting = undefined;
    if (this.done) return;
    this.done = true;
    this.owner.onUpstreamPoolFailure(this, reason, details);
  }

  onHeaders(headers: HeaderMap, end: boolean): void {
    if (this.done) return;
    if (end) this.done = true;
    this.owner.onUpstreamHeaders(this, headers, end);
  }

  onData(chunk: Uint8Array, end: boolean): void {
    if (this.done) return;
    if (end) this.done = true;
    this.owner.onUpstreamData(this, chunk, end);
  }

  onTrailers(trailers: HeaderMap): void {
    if (this.done) return;
    this.done = true;
    this.owner.onUpstreamTrailers(this, trailers);
  }

  onReset(reason: ResetReason, details: string): void {
    if (this.done) return;
    this.done = true;
    this.owner.onUpstreamReset(this, reason, details);
  }

  onAboveWriteBufferHighWatermark(): void {
    if (!this.done) this.owner.onUpstreamBackpressure(this, true);
  }

  onBelowWriteBufferLowWatermark(): void {
    if (!this.done) this.owner.onUpstreamBackpressure(this, false);
  }

  /** Gives the try up: the pool wait is cancelled, a stream still open is reset. */
  abandon(): void {
    const open = !this.done;
    this.done = true;
    this.waiting?.cancel();
    this.waiting = undefined;
    if (open && this.stream) this.stream.reset("local_reset");
  }
}
