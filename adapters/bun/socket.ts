import type { Address } from "../../core/net/address.ts";
import type { Socket } from "../../core/net/socket.ts";
import type { BunSocketHandlers, BunTcpSocket } from "./bun-types.ts";

/**
 * Bun's TCP socket as the core's Socket. Bun's `write` returns how many bytes the kernel took
 * and queues nothing, so the remainder waits here until Bun's `drain` callback.
 */
export class BunSocket implements Socket {
  ondata: ((bytes: Uint8Array) => void) | null = null;
  onend: (() => void) | null = null;
  ondrain: (() => void) | null = null;
  onclose: ((err?: Error) => void) | null = null;
  local: Address;
  remote: Address;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private needDrain = false;
  private endRequested = false;
  private writeDone = false;
  private readDone = false;
  private closed = false;
  private error: Error | undefined;

  constructor(private readonly s: BunTcpSocket<BunSocket | null>, private readonly highWaterMark: number) {
    this.local = { host: s.localAddress ?? "", port: s.localPort ?? 0 };
    this.remote = { host: s.remoteAddress ?? "", port: s.remotePort ?? 0 };
    s.setNoDelay(true);
  }

  get bufferedAmount(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed || this.endRequested) return false;
    if (this.queue.length === 0) {
      const n = this.s.write(bytes);
      if (n < bytes.length) this.enqueue(n > 0 ? bytes.subarray(n) : bytes);
    } else {
      this.enqueue(bytes);
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
    if (this.queue.length === 0) this.shutdownWrite();
  }

  destroy(reason?: Error): void {
    if (this.closed) return;
    if (reason) this.error ??= reason;
    if (reason) this.s.terminate();
    else this.s.end();
    this.finish();
  }

  pause(): void {
    this.s.pause();
  }

  resume(): void {
    this.s.resume();
  }

  private enqueue(bytes: Uint8Array): void {
    this.queue.push(bytes);
    this.queued += bytes.length;
  }

  /** Bun's drain: the kernel has room again. Writes queued bytes until it is full or empty. */
  flush(): void {
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0];
      const n = this.s.write(head);
      if (n <= 0) return;
      this.queued -= n;
      if (n < head.length) {
        this.queue[0] = head.subarray(n);
        return;
      }
      this.queue.shift();
    }
    if (this.closed) return;
    if (this.needDrain) {
      this.needDrain = false;
      this.ondrain?.();
    }
    if (this.endRequested && !this.writeDone && this.queue.length === 0) this.shutdownWrite();
  }

  onEof(): void {
    if (this.readDone || this.closed) return;
    this.readDone = true;
    this.onend?.();
    this.maybeClose();
  }

  onError(err: Error): void {
    this.error ??= err;
  }

  /** Bun's close callback. Bun skips `end` when the peer's FIN completes a close we began. */
  onBunClose(err?: Error): void {
    if (this.closed) return;
    if (err) this.error ??= err;
    else if (!this.readDone) {
      this.readDone = true;
      this.onend?.();
    }
    this.finish();
  }

  /** The socket is gone: report it once and drop every callback. */
  finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    const cb = this.onclose;
    this.ondata = this.onend = this.ondrain = this.onclose = null;
    cb?.(this.error);
  }

  private shutdownWrite(): void {
    this.writeDone = true;
    this.s.shutdown();
    this.maybeClose();
  }

  private maybeClose(): void {
    // Both FINs are through: release the socket (Bun keeps a half-open socket until told).
    if (this.readDone && this.writeDone && !this.closed) {
      this.s.end();
      this.finish();
    }
  }
}

/** One handler set shared by every socket; per-socket state lives on `socket.data`. */
export function bunHandlers(onOpen: (s: BunTcpSocket<BunSocket | null>) => void): BunSocketHandlers<BunSocket | null> {
  return {
    binaryType: "uint8array",
    open: onOpen,
    data: (s, bytes) => s.data?.ondata?.(bytes),
    drain: (s) => s.data?.flush(),
    end: (s) => s.data?.onEof(),
    error: (s, err) => s.data?.onError(err),
    close: (s, err) => s.data?.onBunClose(err),
  };
}
