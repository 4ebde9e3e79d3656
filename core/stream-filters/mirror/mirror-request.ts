import type { ConnPool, PoolCallbacks } from "../../pool/conn-pool.ts";
import type { HeaderMap } from "../../stream/header-map.ts";
import type { ClientStream, MessageListener, StreamCallbacks } from "../../stream/types.ts";
import type { Metric } from "../../observe/stats.ts";

/** What a mirror counts: copies sent, and copies given up (no connection, a reset, too slow). */
export interface MirrorCounters {
  readonly requests: Metric;
  readonly failed: Metric;
}

/**
 * One shadow copy of a request, fire and forget: it is fed the request's parts as the real one
 * gets them, its response is read and dropped, and it never holds the real request back. A copy
 * that would cost memory (its upstream is slower than the client, or its connection is not
 * ready while more than `limitBytes` of body come in) is given up instead.
 */
export class MirrorRequest implements PoolCallbacks, MessageListener, StreamCallbacks {
  private stream: ClientStream | undefined;
  private waiting: { cancel(): void } | undefined;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private requestEnded: boolean;
  private trailers: HeaderMap | undefined;
  private done = false;
  /** The whole request went to the mirror: a client that leaves later does not cut it. */
  sent = false;

  constructor(
    private readonly headers: HeaderMap,
    end: boolean,
    private readonly limitBytes: number,
    private readonly counters: MirrorCounters,
  ) {
    this.requestEnded = end;
  }

  start(pool: ConnPool): void {
    this.counters.requests.value++;
    const pending = pool.newStream(this, this);
    if (pending && !this.stream && !this.done) this.waiting = pending;
  }

  data(chunk: Uint8Array, end: boolean): void {
    if (this.done) return;
    if (end) this.requestEnded = true;
    if (this.stream) {
      this.stream.sendData(chunk, end);
      if (end) this.sent = true;
      return;
    }
    this.queued.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > this.limitBytes) this.giveUp();
  }

  trailersIn(trailers: HeaderMap): void {
    if (this.done) return;
    this.requestEnded = true;
    if (this.stream) {
      this.stream.sendTrailers(trailers);
      this.sent = true;
    } else {
      this.trailers = trailers;
    }
  }

  /** The real request ended before it was whole: the copy cannot be completed. */
  abort(): void {
    if (!this.sent) this.giveUp();
  }

  onPoolReady(stream: ClientStream): void {
    this.waiting = undefined;
    if (this.done) {
      stream.reset("local_reset");
      return;
    }
    this.stream = stream;
    stream.setCallbacks(this);
    const queued = this.queued;
    this.queued = [];
    const trailers = this.trailers;
    stream.sendHeaders(this.headers, this.requestEnded && queued.length === 0 && trailers === undefined);
    for (let i = 0; i < queued.length; i++) {
      stream.sendData(queued[i]!, this.requestEnded && trailers === undefined && i === queued.length - 1);
    }
    if (trailers) stream.sendTrailers(trailers);
    this.sent = this.requestEnded;
  }

  onPoolFailure(): void {
    this.waiting = undefined;
    if (this.done) return;
    this.done = true;
    this.counters.failed.value++;
  }

  onHeaders(_headers: HeaderMap, end: boolean): void {
    if (end) this.done = true;
  }

  onData(_chunk: Uint8Array, end: boolean): void {
    if (end) this.done = true;
  }

  onTrailers(): void {
    this.done = true;
  }

  onReset(): void {
    if (this.done) return;
    this.done = true;
    this.counters.failed.value++;
  }

  /** The mirror's upstream cannot keep up: a shadow copy is not worth a growing queue. */
  onAboveWriteBufferHighWatermark(): void {
    this.giveUp();
  }

  onBelowWriteBufferLowWatermark(): void {}

  private giveUp(): void {
    if (this.done) return;
    this.done = true;
    this.counters.failed.value++;
    this.queued = [];
    this.waiting?.cancel();
    this.waiting = undefined;
    this.stream?.reset("local_reset");
  }
}
