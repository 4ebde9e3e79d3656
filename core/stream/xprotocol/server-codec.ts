import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { CloseEvent, ConnectionCallbacks } from "../../net/connection-events.ts";
import type { Connection } from "../../net/connection.ts";
import type { Logger } from "../../observe/logger.ts";
import { NEED_MORE, type XCodec } from "../../protocol/xprotocol/codec.ts";
import { XCodecError } from "../../protocol/xprotocol/codec-error.ts";
import type { XFrame } from "../../protocol/xprotocol/frame.ts";
import type { ServerCodec, ServerCodecCallbacks } from "../types.ts";
import type { XProtocolOptions } from "./options.ts";
import { XServerStream, type XServerStreamOwner } from "./server-stream.ts";
import type { XProtocolStats } from "./stats.ts";

/**
 * The server side of a multiplexed RPC connection (MOSN's xprotocol server stream connection):
 * every request frame becomes a stream at once, however many are in flight, and each response
 * goes out when it is ready, in any order, matched by the id the client chose.
 *
 * Heartbeats are answered here and never reach the proxy. A whole frame the codec cannot read
 * is answered with the protocol's codec error when it is a two-way request, else dropped (a
 * oneway request must get no response); bytes that cannot start a frame close the connection,
 * since nothing after them can be trusted.
 */
export class XServerCodec implements ServerCodec, XServerStreamOwner, ConnectionCallbacks {
  private readonly streams = new Set<XServerStream>();
  private nextStreamId = 1;
  private inputEnded = false;
  private draining = false;
  private closed = false;
  /** The client is not reading its responses: its requests are not read either. */
  private throttled = false;

  constructor(
    private readonly connection: Connection,
    private readonly callbacks: ServerCodecCallbacks,
    readonly codec: XCodec,
    private readonly options: XProtocolOptions,
    private readonly stats: XProtocolStats,
    private readonly logger: Logger,
  ) {
    connection.addConnectionCallbacks(this);
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  dispatch(buf: ByteBuffer): void {
    while (!this.closed) {
      let length: number;
      try {
        length = this.codec.frameLength(buf, this.options.maxFrameBytes);
      } catch (err) {
        return this.protocolError(err);
      }
      if (length === NEED_MORE || buf.length < length) return;
      const bytes = buf.take(length);
      let frame: XFrame;
      try {
        frame = this.codec.decode(bytes);
      } catch (err) {
        if (!(err instanceof XCodecError)) return this.protocolError(err);
        // The frame's length was known, so the stream is still in step: only this frame is lost.
        this.stats.codecErrors.value++;
        if (!err.replyable) {
          // A oneway request (or a stray response) gets no answer; it is dropped.
          this.logger.warn(`${this.codec.name} [${this.connection.id}] undecodable frame dropped: ${err.message}`);
          continue;
        }
        this.logger.warn(`${this.codec.name} [${this.connection.id}] undecodable request answered: ${err.message}`);
        this.write(this.codec.errorResponse(bytes, 400, err.message));
        continue;
      }
      this.onFrame(frame);
    }
  }

  endOfInput(): void {
    this.inputEnded = true;
    if (this.streams.size === 0) this.connection.close("flush");
  }

  private onFrame(frame: XFrame): void {
    if (!frame.isRequest) {
      this.stats.unexpectedFrames.value++;
      return;
    }
    if (frame.heartbeat) {
      this.stats.heartbeatsAnswered.value++;
      if (!frame.oneway) this.write(this.codec.heartbeatReply(frame));
      return;
    }
    const stream = new XServerStream(this, this.nextStreamId++, frame);
    this.streams.add(stream);
    try {
      const listener = this.callbacks.newStream(stream);
      listener.onHeaders(frame, true);
    } catch (err) {
      // A bug met by one request costs that request only: the connection carries others.
      this.stats.internalErrors.value++;
      this.logger.error(
        `${this.codec.name} [${this.connection.id},${stream.id}] request failed: ${(err as Error)?.stack ?? err}`,
      );
      stream.fail(500, "internal error in the proxy");
    }
  }

  write(bytes: Uint8Array): void {
    if (!this.closed) this.connection.write(bytes);
  }

  readDisable(disable: boolean): void {
    if (!this.closed) this.connection.readDisable(disable);
  }

  onStreamDone(stream: XServerStream): void {
    this.streams.delete(stream);
    if ((this.inputEnded || this.draining) && this.streams.size === 0 && !this.closed) this.connection.close("flush");
  }

  /**
   * No frame says "going away" in Bolt or Dubbo: requests that arrive meanwhile are still served,
   * and the connection closes once none is in flight (or when the drain period ends).
   */
  drain(): void {
    this.draining = true;
    if (this.streams.size === 0 && !this.closed) this.connection.close("flush");
  }

  /** Bytes that cannot be a frame: nothing after them can be trusted, so the connection goes. */
  private protocolError(err: unknown): void {
    this.stats.codecErrors.value++;
    this.logger.warn(
      `${this.codec.name} [${this.connection.id}] closing the connection: ${(err as Error)?.message ?? err}`,
    );
    this.connection.close("flush");
    this.closed = true;
  }

  onClose(_event: CloseEvent): void {
    this.closed = true;
    for (const s of [...this.streams]) s.onConnectionClosed("connection_termination", "the client's connection closed");
    this.streams.clear();
  }

  /**
   * A client that does not read its responses: stop reading its requests until it catches up,
   * so what it has in flight bounds what queues for it. Its upstream is shared and never paused.
   */
  onAboveWriteBufferHighWatermark(): void {
    if (!this.throttled && !this.closed) {
      this.throttled = true;
      this.connection.readDisable(true);
    }
    for (const s of this.streams) s.callbacks?.onAboveWriteBufferHighWatermark();
  }

  onBelowWriteBufferLowWatermark(): void {
    if (this.throttled) {
      this.throttled = false;
      if (!this.closed) this.connection.readDisable(false);
    }
    for (const s of this.streams) s.callbacks?.onBelowWriteBufferLowWatermark();
  }
}
