import type { Address } from "../../core/net/address.ts";
import type { Socket } from "../../core/net/socket.ts";
import type { DenoConn } from "./deno-types.ts";
import { denoSocketError } from "./errors.ts";
import { ReadBlocks } from "./read-blocks.ts";
import type { ScratchPool } from "./scratch-pool.ts";

/**
 * Deno.Conn as the core's Socket. Deno's `read` and `write` are promise based, one promise per
 * call, and `write` may be partial: this keeps its own write queue and issues one read at a
 * time while not paused. Callbacks are bound once, so no closure is made per chunk.
 */
export class DenoSocket implements Socket {
  ondata: ((bytes: Uint8Array) => void) | null = null;
  onend: (() => void) | null = null;
  ondrain: (() => void) | null = null;
  onclose: ((err?: Error) => void) | null = null;
  readonly local: Address;
  readonly remote: Address;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private writing = false;
  // The pooled buffer queued chunks were joined into, while a write of it is unfinished.
  private joined: Uint8Array | null = null;
  private needDrain = false;
  private readonly lowWaterMark: number;
  private endRequested = false;
  private writeDone = false; // FIN sent (or write side dead)
  private readDone = false; // EOF seen
  private reading = false;
  private paused = false;
  private closed = false;
  private readonly blocks = new ReadBlocks();
  private readonly onRead = (n: number | null) => this.afterRead(n);
  private readonly onWritten = (n: number) => this.afterWrite(n);
  private readonly onClosedWrite = () => this.maybeClose();
  private readonly onReadError = (err: unknown) => this.fail(err, "read");
  private readonly onWriteError = (err: unknown) => this.fail(err, "write");

  constructor(
    private readonly conn: DenoConn,
    private readonly highWaterMark: number,
    private readonly pool: ScratchPool,
  ) {
    this.lowWaterMark = Math.floor(highWaterMark / 2);
    this.local = { host: conn.localAddr.hostname, port: conn.localAddr.port };
    this.remote = { host: conn.remoteAddr.hostname, port: conn.remoteAddr.port };
    try {
      conn.setNoDelay(true);
    } catch {
      // not a TCP connection; nothing to tune
    }
    // Start reading on a later tick, after the core has attached its callbacks.
    queueMicrotask(() => this.read());
  }

  get bufferedAmount(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.endRequested) return false;
    if (bytes.length > 0) {
      this.queue.push(bytes);
      this.queued += bytes.length;
      if (!this.writing) this.send();
    }
    return this.overHighWater();
  }

  writev(chunks: readonly Uint8Array[]): boolean {
    if (this.closed || this.endRequested) return false;
    for (let i = 0; i < chunks.length; i++) {
      if (chunks[i].length === 0) continue;
      this.queue.push(chunks[i]);
      this.queued += chunks[i].length;
    }
    if (!this.writing && this.queue.length > 0) this.send();
    return this.overHighWater();
  }

  end(): void {
    if (this.closed || this.endRequested) return;
    this.endRequested = true;
    if (!this.writing) this.shutdownIfFlushed();
  }

  /** Deno has no SO_LINGER: with or without a reason the peer sees FIN (see the contract). */
  destroy(reason?: Error): void {
    this.finish(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.read();
  }

  private overHighWater(): boolean {
    if (this.queued > this.highWaterMark) {
      this.needDrain = true;
      return false;
    }
    return true;
  }

  private read(): void {
    if (this.reading || this.paused || this.closed || this.readDone) return;
    this.reading = true;
    this.conn.read(this.blocks.region()).then(this.onRead, this.onReadError);
  }

  private afterRead(n: number | null): void {
    this.reading = false;
    if (this.closed) return;
    if (n === null) {
      this.readDone = true;
      this.blocks.release();
      this.onend?.();
      this.maybeClose();
      return;
    }
    const chunk = this.blocks.took(n);
    if (n > 0) this.ondata?.(chunk);
    this.read();
  }

  /** Starts one `conn.write` of the queue's head; small queued chunks are joined first. */
  private send(): void {
    const queue = this.queue;
    const limit = this.pool.size;
    if (queue.length > 1 && queue[0].length + queue[1].length <= limit) {
      const joined = this.pool.take();
      let size = 0;
      let count = 0;
      while (count < queue.length && size + queue[count].length <= limit) {
        joined.set(queue[count], size);
        size += queue[count].length;
        count++;
      }
      queue.splice(0, count, joined.subarray(0, size));
      this.joined = joined;
    }
    this.writing = true;
    this.conn.write(queue[0]).then(this.onWritten, this.onWriteError);
  }

  private afterWrite(n: number): void {
    this.writing = false;
    if (this.closed) return;
    this.queued -= n;
    const head = this.queue[0];
    if (n < head.length) {
      this.queue[0] = head.subarray(n);
    } else {
      this.queue.shift();
      if (this.joined !== null && head.buffer === this.joined.buffer) {
        this.pool.give(this.joined);
        this.joined = null;
      }
    }
    if (this.needDrain && this.queued <= this.lowWaterMark) {
      this.needDrain = false;
      this.ondrain?.();
      if (this.closed) return;
    }
    if (this.writing) return; // ondrain wrote, which started the next write
    if (this.queue.length > 0) this.send();
    else this.shutdownIfFlushed();
  }

  private shutdownIfFlushed(): void {
    if (!this.endRequested || this.writeDone || this.closed || this.queue.length > 0) return;
    this.writeDone = true;
    this.conn.closeWrite().then(this.onClosedWrite, this.onWriteError);
  }

  private maybeClose(): void {
    if (this.readDone && this.writeDone) this.finish(undefined);
  }

  private fail(err: unknown, op: string): void {
    if (!this.closed) this.finish(denoSocketError(err, op));
  }

  private finish(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    this.blocks.release();
    // A write in flight may still be reading `joined`: leave it to the collector.
    this.joined = null;
    try {
      this.conn.close();
    } catch {
      // already closed by the runtime
    }
    const cb = this.onclose;
    this.ondata =
      this.onend =
      this.ondrain =
      this.onclose =
        null;
    cb?.(err);
  }
}
