import type * as net from "node:net";
import type { Address } from "../../core/net/address.ts";
import type { Socket } from "../../core/net/socket.ts";
import { toSocketError } from "../../core/net/socket-error.ts";

function unmap(host: string | undefined): string {
  // Dual-stack listeners report IPv4 peers as ::ffff:a.b.c.d; the core speaks plain IPv4.
  if (!host) return "";
  return host.startsWith("::ffff:") && host.includes(".") ? host.slice(7) : host;
}

/** Batches up to this many bytes are written as one joined buffer (see writev). */
const JOIN_LIMIT = 16 * 1024;

/**
 * node:net socket as the core's Socket. Node queues writes itself, but its `write` reports
 * false at a queue of exactly the mark and its 'drain' waits for an empty queue, so the
 * watermarks are kept here: a callback on each write sees the queue shrink.
 */
export class NodeSocket implements Socket {
  ondata: ((bytes: Uint8Array) => void) | null = null;
  onend: (() => void) | null = null;
  ondrain: (() => void) | null = null;
  onclose: ((err?: Error) => void) | null = null;
  readonly local: Address;
  readonly remote: Address;
  private error: Error | undefined;
  private needDrain = false;
  private readonly lowWaterMark: number;
  // One function per socket, so node batches the callbacks of writes done in one tick.
  private readonly written = () => {
    if (this.needDrain && this.s.writableLength <= this.lowWaterMark && !this.s.destroyed) {
      this.needDrain = false;
      this.ondrain?.();
    }
  };

  constructor(private readonly s: net.Socket, private readonly highWaterMark: number) {
    this.lowWaterMark = Math.floor(highWaterMark / 2);
    this.local = { host: unmap(s.localAddress), port: s.localPort ?? 0 };
    this.remote = { host: unmap(s.remoteAddress), port: s.remotePort ?? 0 };
    s.on("data", (chunk: Uint8Array) => this.ondata?.(chunk));
    s.on("end", () => this.onend?.());
    // Without an 'error' listener node throws ECONNRESET out of the event loop.
    s.on("error", (err: Error & { syscall?: string }) => {
      this.error ??= toSocketError(err, err.syscall ?? "socket");
    });
    s.on("close", () => {
      const cb = this.onclose;
      this.ondata =
        this.onend =
        this.ondrain =
        this.onclose =
          null;
      cb?.(this.error);
    });
  }

  get bufferedAmount(): number {
    return this.s.writableLength;
  }

  write(bytes: Uint8Array): boolean {
    if (this.s.destroyed || this.s.writableEnded) return false;
    this.s.write(bytes, this.written);
    return this.afterWrite();
  }

  writev(chunks: readonly Uint8Array[]): boolean {
    if (this.s.destroyed || this.s.writableEnded) return false;
    let total = 0;
    for (let i = 0; i < chunks.length; i++) total += chunks[i]!.length;
    // Small batches (a response head and its body, a few pipelined answers) are copied into one
    // buffer: the copy costs less than node's corked writev path, which queues an entry per chunk
    // and builds the array its native writev takes.
    if (total <= JOIN_LIMIT) {
      const joined = Buffer.allocUnsafe(total);
      let at = 0;
      for (let i = 0; i < chunks.length; i++) {
        joined.set(chunks[i]!, at);
        at += chunks[i]!.length;
      }
      this.s.write(joined, this.written);
      return this.afterWrite();
    }
    // Corked writes leave as one writev(2) on uncork (node's _writev); the callback on the last
    // chunk runs once the whole batch is written.
    this.s.cork();
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.s.write(chunks[i]);
    if (last >= 0) this.s.write(chunks[last], this.written);
    this.s.uncork();
    return this.afterWrite();
  }

  private afterWrite(): boolean {
    if (this.s.writableLength > this.highWaterMark) {
      this.needDrain = true;
      return false;
    }
    return true;
  }

  end(): void {
    if (!this.s.destroyed) this.s.end();
  }

  destroy(reason?: Error): void {
    if (reason) this.error ??= reason;
    // resetAndDestroy sends RST, so the peer learns of an abnormal close, as MOSN's conn.Close(NoFlush).
    if (reason && !this.s.destroyed && !this.s.connecting) this.s.resetAndDestroy();
    else this.s.destroy();
  }

  pause(): void {
    this.s.pause();
  }

  resume(): void {
    this.s.resume();
  }
}
