import { XFrame } from "../../protocol/xprotocol/frame.ts";
import type { HeaderMap } from "../header-map.ts";
import type { ClientStream, MessageListener, ResetReason, StreamCallbacks } from "../types.ts";

/** What a client stream needs of its upstream connection's codec. */
export interface XClientStreamOwner {
  /** Gives the frame an id of this connection and writes it; registers the stream unless oneway. */
  send(stream: XClientStream, frame: XFrame): void;
  /** The stream is over: its id is forgotten and the pool hears of it. */
  release(stream: XClientStream): void;
  readonly protocol: string;
}

/**
 * One request on a shared upstream RPC connection. Its wire id lives in the codec's table from
 * send to response (or reset); the proxy only ever sees the codec-local `id`.
 */
export class XClientStream implements ClientStream {
  callbacks: StreamCallbacks | undefined;
  /** The upstream id this stream's request went out with; 0 before it went, and for oneway. */
  wireId = 0;
  done = false;

  constructor(
    private readonly owner: XClientStreamOwner,
    readonly id: number,
    readonly listener: MessageListener,
  ) {}

  setCallbacks(callbacks: StreamCallbacks): void {
    this.callbacks = callbacks;
  }

  sendHeaders(headers: HeaderMap, _end: boolean): void {
    if (this.done) return;
    if (!(headers instanceof XFrame) || headers.protocol !== this.owner.protocol || !headers.isRequest) {
      // Only a request of this same protocol can be sent on it; the config allows nothing else.
      return this.fail(
        "protocol_error",
        `a ${this.owner.protocol} connection can only carry ${this.owner.protocol} requests`,
      );
    }
    this.owner.send(this, headers);
  }

  /** An RPC message is one frame: its body went with the headers. */
  sendData(_chunk: Uint8Array, _end: boolean): void {}

  sendTrailers(_trailers: HeaderMap): void {}

  /** Forgets the id: a late response is dropped. The shared connection is never closed for one stream. */
  reset(_reason: ResetReason): void {
    if (this.done) return;
    this.owner.release(this);
  }

  /**
   * Never pauses the shared connection: every other stream on it would stall. A slow client is
   * throttled on its own connection instead (the proxy read-disables the client).
   */
  readDisable(_disable: boolean): void {}

  /** The response arrived: the stream is over before its listener hears it, so the listener may start another. */
  deliver(frame: XFrame): void {
    this.owner.release(this);
    this.listener.onHeaders(frame, true);
  }

  fail(reason: ResetReason, details: string): void {
    if (this.done) return;
    this.owner.release(this);
    this.callbacks?.onReset(reason, details);
  }
}
