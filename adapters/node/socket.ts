import type * as net from "node:net";
import type { Address } from "../../core/net/address.ts";
import type { Socket } from "../../core/net/socket.ts";

function unmap(host: string | undefined): string {
  // Dual-stack listeners report IPv4 peers as ::ffff:a.b.c.d; the core speaks plain IPv4.
  if (!host) return "";
  return host.startsWith("::ffff:") && host.includes(".") ? host.slice(7) : host;
}

/** node:net socket as the core's Socket. Node already queues writes and signals 'drain'. */
export class NodeSocket implements Socket {
  ondata: ((bytes: Uint8Array) => void) | null = null;
  onend: (() => void) | null = null;
  ondrain: (() => void) | null = null;
  onclose: ((err?: Error) => void) | null = null;
  readonly local: Address;
  readonly remote: Address;
  private error: Error | undefined;

  constructor(private readonly s: net.Socket) {
    this.local = { host: unmap(s.localAddress), port: s.localPort ?? 0 };
    this.remote = { host: unmap(s.remoteAddress), port: s.remotePort ?? 0 };
    s.on("data", (chunk: Uint8Array) => this.ondata?.(chunk));
    s.on("end", () => this.onend?.());
    s.on("drain", () => this.ondrain?.());
    // Without an 'error' listener node throws ECONNRESET out of the event loop.
    s.on("error", (err) => {
      this.error ??= err;
    });
    s.on("close", () => {
      const cb = this.onclose;
      this.ondata = this.onend = this.ondrain = this.onclose = null;
      cb?.(this.error);
    });
  }

  get bufferedAmount(): number {
    return this.s.writableLength;
  }

  write(bytes: Uint8Array): boolean {
    if (this.s.destroyed || this.s.writableEnded) return false;
    return this.s.write(bytes);
  }

  writev(chunks: readonly Uint8Array[]): boolean {
    if (this.s.destroyed || this.s.writableEnded) return false;
    // Corked writes leave node's stream as one writev call on uncork.
    this.s.cork();
    let ok = true;
    for (const c of chunks) ok = this.s.write(c);
    this.s.uncork();
    return ok;
  }

  end(): void {
    if (!this.s.destroyed) this.s.end();
  }

  destroy(reason?: Error): void {
    if (reason) this.error ??= reason;
    // resetAndDestroy sends RST, so the peer learns of an abnormal close, as MOSN's conn.Close(NoFlush).
    if (reason && typeof this.s.resetAndDestroy === "function" && !this.s.destroyed && !this.s.connecting) this.s.resetAndDestroy();
    else this.s.destroy();
  }

  pause(): void {
    this.s.pause();
  }

  resume(): void {
    this.s.resume();
  }
}
