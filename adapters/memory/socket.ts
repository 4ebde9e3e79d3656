import type { Address } from "../../core/net/address.ts";
import type { Socket } from "../../core/net/socket.ts";
import { SocketError } from "../../core/net/socket-error.ts";

function peerReset(): SocketError {
  return new SocketError("reset", "read: connection reset (ECONNRESET)", { errno: "ECONNRESET" });
}

/**
 * One end of an in-process socket pair. Bytes written here queue until the peer reads them,
 * so a paused peer makes `write` return false exactly like a full kernel buffer would.
 * Delivery runs from a microtask, never inside `write`, so re-entrancy matches real sockets.
 */
export class MemorySocket implements Socket {
  ondata: ((bytes: Uint8Array) => void) | null = null;
  onend: (() => void) | null = null;
  ondrain: (() => void) | null = null;
  onclose: ((err?: Error) => void) | null = null;
  peer!: MemorySocket;
  readonly local: Address;
  readonly remote: Address;
  private readonly highWaterMark: number;
  private readonly lowWaterMark: number;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private needDrain = false;
  private endQueued = false; // our FIN is queued behind data
  private finSent = false;
  private finReceived = false;
  private paused = false;
  private scheduled = false;
  private closed = false;

  constructor(local: Address, remote: Address, highWaterMark: number) {
    this.local = local;
    this.remote = remote;
    this.highWaterMark = highWaterMark;
    this.lowWaterMark = Math.floor(highWaterMark / 2);
  }

  get bufferedAmount(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): boolean {
    if (!this.writable()) return false;
    this.push(bytes);
    return this.afterWrite();
  }

  writev(chunks: readonly Uint8Array[]): boolean {
    if (!this.writable()) return false;
    for (let i = 0; i < chunks.length; i++) this.push(chunks[i]);
    return this.afterWrite();
  }

  private writable(): boolean {
    if (this.closed || this.endQueued) return false;
    if (this.peer.closed) {
      // Writing to a socket whose peer is gone draws a reset, as on TCP.
      queueMicrotask(() => this.finishClose(peerReset()));
      return false;
    }
    return true;
  }

  private push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.peer.schedule();
  }

  private afterWrite(): boolean {
    if (this.queued > this.highWaterMark) {
      this.needDrain = true;
      return false;
    }
    return true;
  }

  end(): void {
    if (this.closed || this.endQueued) return;
    this.endQueued = true;
    if (this.peer.closed) queueMicrotask(() => this.finishClose(undefined));
    else this.peer.schedule();
  }

  /**
   * Without a reason this is a graceful close, as close(2): what was written still arrives,
   * then the peer sees FIN. With a reason it is abortive, as RST: the peer closes with an error.
   */
  destroy(reason?: Error): void {
    if (this.closed) return;
    const peer = this.peer;
    if (reason) {
      this.finishClose(reason);
      if (!peer.closed) peer.finishClose(peerReset());
      return;
    }
    const pending = this.queue;
    this.endQueued = true;
    this.finishClose(undefined);
    this.queue = pending;
    peer.schedule();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.schedule();
  }

  /** Arranges for this end to read what its peer has queued. */
  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    queueMicrotask(() => this.deliver());
  }

  private deliver(): void {
    this.scheduled = false;
    const from = this.peer;
    while (!this.closed && !this.paused && from.queue.length > 0) {
      const chunk = from.queue.shift()!;
      from.queued -= chunk.length;
      this.ondata?.(chunk);
      // The writer hears of room as soon as its queue is at the low-water mark, not only once
      // it is empty, so it refills while the rest is still being read.
      if (from.needDrain && from.queued <= from.lowWaterMark && !from.closed) {
        from.needDrain = false;
        from.ondrain?.();
      }
    }
    if (this.closed) return;
    if (from.queue.length === 0 && from.endQueued && !from.finSent && !this.paused) {
      from.finSent = true;
      this.finReceived = true;
      this.onend?.();
      this.maybeClose();
      from.maybeClose();
    }
  }

  private maybeClose(): void {
    if (this.finSent && this.finReceived) this.finishClose(undefined);
  }

  private finishClose(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    const cb = this.onclose;
    this.ondata =
      this.onend =
      this.ondrain =
      this.onclose =
        null;
    cb?.(err);
  }
}

/** Makes a connected pair; `a` is the connecting side, `b` the accepted one. */
export function memorySocketPair(
  a: Address,
  b: Address,
  highWaterMarkA: number,
  highWaterMarkB: number,
): [MemorySocket, MemorySocket] {
  const left = new MemorySocket(a, b, highWaterMarkA);
  const right = new MemorySocket(b, a, highWaterMarkB);
  left.peer = right;
  right.peer = left;
  return [left, right];
}
