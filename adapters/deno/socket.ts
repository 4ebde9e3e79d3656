import type { Address } from "../../core/net/address.ts";
import type { Socket } from "../../core/net/socket.ts";
import type { DenoConn } from "./deno-types.ts";

// A pending read pins its buffer, so an idle connection costs what its read buffer does: start
// small and grow (to 64 KiB) only for a connection whose reads fill the buffer.
const READ_SIZE_MIN = 8 * 1024;
const READ_SIZE_MAX = 64 * 1024;
const COALESCE_LIMIT = 64 * 1024;

/**
 * Deno.Conn as the core's Socket. Deno's `read` and `write` are promise based and `write` may
 * be partial, so this keeps its own write queue and a read loop that honours pause().
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
  private needDrain = false;
  private endRequested = false;
  private writeDone = false; // FIN sent (or write side dead)
  private readDone = false; // EOF seen
  private paused = false;
  private wake: (() => void) | null = null;
  private closed = false;
  private readBuf: Uint8Array | null = null;
  private readSize = READ_SIZE_MIN;

  constructor(private readonly conn: DenoConn, private readonly highWaterMark: number) {
    this.local = { host: conn.localAddr.hostname, port: conn.localAddr.port };
    this.remote = { host: conn.remoteAddr.hostname, port: conn.remoteAddr.port };
    try {
      conn.setNoDelay(true);
    } catch {
      // not a TCP connection; nothing to tune
    }
    // Start reading on a later tick, after the core has attached its callbacks.
    queueMicrotask(() => this.readLoop());
  }

  get bufferedAmount(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.endRequested) return false;
    if (bytes.length > 0) {
      this.queue.push(bytes);
      this.queued += bytes.length;
      if (!this.writing) this.writeLoop();
    }
    if (this.queued >= this.highWaterMark) {
      this.needDrain = true;
      return false;
    }
    return true;
  }

  writev(chunks: readonly Uint8Array[]): boolean {
    let ok = true;
    for (const c of chunks) ok = this.write(c);
    return ok;
  }

  end(): void {
    if (this.closed || this.endRequested) return;
    this.endRequested = true;
    if (!this.writing) this.writeLoop();
  }

  destroy(reason?: Error): void {
    this.finish(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async readLoop(): Promise<void> {
    try {
      while (!this.closed) {
        if (this.paused) {
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        const buf = this.readBuf ?? new Uint8Array(this.readSize);
        this.readBuf = buf;
        const n = await this.conn.read(buf);
        if (this.closed) return;
        if (n === null) {
          this.readDone = true;
          this.onend?.();
          this.maybeClose();
          return;
        }
        let chunk: Uint8Array;
        if (n < buf.length >>> 1) {
          // Copied out, so a small message does not pin a large buffer; the buffer is reused.
          chunk = buf.slice(0, n);
        } else {
          chunk = buf.subarray(0, n);
          this.readBuf = null; // handed off: the receiver owns it now
          if (n === buf.length && this.readSize < READ_SIZE_MAX) this.readSize *= 2;
        }
        this.ondata?.(chunk);
      }
    } catch (err) {
      this.finish(err as Error);
    }
  }

  private async writeLoop(): Promise<void> {
    this.writing = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        let chunk = this.queue.length > 1 ? this.coalesce() : this.queue[0];
        while (chunk.length > 0) {
          const n = await this.conn.write(chunk);
          if (this.closed) return;
          chunk = chunk.subarray(n);
          this.queued -= n;
        }
        this.queue.shift();
        if (this.queue.length === 0 && this.needDrain) {
          this.needDrain = false;
          this.ondrain?.();
        }
      }
      if (this.endRequested && !this.writeDone && !this.closed && this.queue.length === 0) {
        this.writeDone = true;
        await this.conn.closeWrite();
        this.maybeClose();
      }
    } catch (err) {
      this.finish(err as Error);
    } finally {
      this.writing = false;
    }
  }

  /** Joins small queued chunks into one write: one syscall and one promise instead of many. */
  private coalesce(): Uint8Array {
    let count = 0;
    let size = 0;
    while (count < this.queue.length && (count === 0 || size + this.queue[count].length <= COALESCE_LIMIT)) {
      size += this.queue[count].length;
      count++;
    }
    if (count === 1) return this.queue[0];
    const joined = new Uint8Array(size);
    let at = 0;
    for (let i = 0; i < count; i++) {
      joined.set(this.queue[i], at);
      at += this.queue[i].length;
    }
    this.queue.splice(0, count, joined);
    return joined;
  }

  private maybeClose(): void {
    if (this.readDone && this.writeDone) this.finish(undefined);
  }

  private finish(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    try {
      this.conn.close();
    } catch {
      // already closed by the runtime
    }
    const w = this.wake;
    this.wake = null;
    w?.();
    const cb = this.onclose;
    this.ondata = this.onend = this.ondrain = this.onclose = null;
    cb?.(err);
  }
}
