import type { XCodec } from "../../protocol/xprotocol/codec.ts";
import { copyBytes, XFrame } from "../../protocol/xprotocol/frame.ts";
import type { HeaderMap } from "../header-map.ts";
import type { ResetReason, ServerStream, StreamCallbacks } from "../types.ts";

/** What a server stream needs of its connection's codec. */
export interface XServerStreamOwner {
  readonly codec: XCodec;
  write(bytes: Uint8Array): void;
  readDisable(disable: boolean): void;
  onStreamDone(stream: XServerStream): void;
}

/**
 * One downstream RPC request: the proxy answers it with one response frame, which gets the
 * request's own id back (kept as raw bytes: a Dubbo id may be wider than a JS number). A
 * oneway request is done once the proxy has taken it; nothing is ever sent for it.
 */
export class XServerStream implements ServerStream {
  callbacks: StreamCallbacks | undefined;
  private done = false;
  private sent = false;
  private disables = 0;
  private readonly idBytes: Uint8Array;

  constructor(
    private readonly owner: XServerStreamOwner,
    readonly id: number,
    private readonly request: XFrame,
  ) {
    this.idBytes = request.idBytes();
  }

  get oneway(): boolean {
    return this.request.oneway;
  }

  get requestTimeoutMs(): number {
    return this.request.timeoutMs;
  }

  get responseStarted(): boolean {
    return this.sent;
  }

  get finished(): boolean {
    return this.done;
  }

  setCallbacks(callbacks: StreamCallbacks): void {
    this.callbacks = callbacks;
  }

  /**
   * A response frame of this protocol goes out as it came (re-encoded only if its headers were
   * changed), with the request's id written in. Anything else (an HTTP-style reply a filter
   * made) becomes the protocol's error response for its `:status`.
   */
  sendHeaders(headers: HeaderMap, _end: boolean): void {
    if (this.done) return;
    if (!(headers instanceof XFrame) || headers.protocol !== this.owner.codec.name || headers.isRequest) {
      return this.sendLocalReply(Number(headers.get(":status")) || 500, "");
    }
    if (this.request.oneway) return this.end();
    let bytes = this.owner.codec.encode(headers);
    if (bytes === headers.bytes && headers.written) bytes = copyBytes(bytes);
    else if (bytes === headers.bytes) headers.written = true;
    bytes.set(this.idBytes, headers.idOffset);
    this.owner.codec.seal?.(bytes);
    this.sent = true;
    this.owner.write(bytes);
    this.end();
  }

  /** An RPC message is one frame: its body went with the headers. */
  sendData(_chunk: Uint8Array, _end: boolean): void {}

  sendTrailers(_trailers: HeaderMap): void {}

  sendLocalReply(status: number, body: string): void {
    if (this.done) return;
    if (this.request.oneway) return this.end();
    const bytes = this.owner.codec.errorResponse(this.request.bytes, status, body.trimEnd());
    bytes.set(this.idBytes, this.request.idOffset);
    this.owner.codec.seal?.(bytes);
    this.sent = true;
    this.owner.write(bytes);
    this.end();
  }

  /** The proxy gave up on it: the client hears nothing more of this id, the connection goes on. */
  reset(_reason: ResetReason): void {
    this.end();
  }

  readDisable(disable: boolean): void {
    if (this.done) return;
    if (disable) this.disables++;
    else if (this.disables > 0) this.disables--;
    else return;
    this.owner.readDisable(disable);
  }

  /**
   * Something threw while the proxy handled this request: the client gets the protocol's error
   * response (unless oneway or already answered), and the proxy's side hears a reset, so it
   * gives back what the request held.
   */
  fail(status: number, details: string): void {
    if (this.done) return;
    this.sendLocalReply(status, details);
    this.callbacks?.onReset("local_reset", details);
  }

  /** The connection closed under the stream. */
  onConnectionClosed(reason: ResetReason, details: string): void {
    if (this.done) return;
    this.end();
    this.callbacks?.onReset(reason, details);
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    // A stream never leaves its disables behind: the connection serves other streams.
    while (this.disables > 0) {
      this.disables--;
      this.owner.readDisable(false);
    }
    this.owner.onStreamDone(this);
  }
}
