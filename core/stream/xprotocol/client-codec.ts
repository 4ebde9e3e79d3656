import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { CloseEvent, ConnectionCallbacks } from "../../net/connection-events.ts";
import type { Connection } from "../../net/connection.ts";
import type { Runtime } from "../../net/runtime.ts";
import type { Logger } from "../../observe/logger.ts";
import { NEED_MORE, type XCodec } from "../../protocol/xprotocol/codec.ts";
import { copyBytes, writeId, type XFrame } from "../../protocol/xprotocol/frame.ts";
import type { ClientCodec, ClientStream, MessageListener, ResetReason } from "../types.ts";
import { XClientStream, type XClientStreamOwner } from "./client-stream.ts";
import { Keepalive, type KeepaliveTarget } from "./keepalive.ts";
import type { XProtocolOptions } from "./options.ts";
import { RequestIds } from "./request-ids.ts";
import type { XProtocolStats } from "./stats.ts";

/**
 * The client side of a multiplexed RPC connection (MOSN's xprotocol client stream connection):
 * many streams share it, each request going out with an id of this connection's own (the
 * request-id rewrite: downstream (conn 2, id 1) becomes upstream (conn 5, id 30)), and each
 * response finding its stream by that id. Frames of the same protocol are forwarded as they
 * came, only their id patched in place.
 *
 * When the connection closes, every stream in flight on it is reset at once
 * (`connection_termination`, or `connection_failure` if it never connected), so none waits for
 * a timeout. Idle, it sends heartbeats and closes after too many go unanswered.
 */
export class XClientCodec implements ClientCodec, XClientStreamOwner, KeepaliveTarget, ConnectionCallbacks {
  onStreamDone: ((stream: ClientStream) => void) | null = null;
  readonly capacity: number;
  private readonly inFlight = new Map<number, XClientStream>();
  /** Streams given out and not yet over: in flight, plus those not sent yet. */
  private active = 0;
  private readonly ids: RequestIds;
  private readonly isInUse = (id: number) => this.inFlight.has(id) || this.heartbeatId === id;
  private heartbeatId = 0;
  private nextStreamId = 1;
  private usable = true;
  private connected = false;
  private readonly keepalive: Keepalive;

  constructor(
    private readonly connection: Connection,
    readonly codec: XCodec,
    runtime: Runtime,
    private readonly options: XProtocolOptions,
    private readonly stats: XProtocolStats,
    private readonly logger: Logger,
    firstId = 0,
  ) {
    this.capacity = options.maxConcurrentStreams;
    this.ids = new RequestIds(codec.maxRequestId, firstId);
    this.keepalive = new Keepalive(runtime, options, this);
    connection.addConnectionCallbacks(this);
  }

  get protocol(): string {
    return this.codec.name;
  }

  get activeStreams(): number {
    return this.active;
  }

  get reusable(): boolean {
    return this.usable;
  }

  /** The pool keeps idle RPC connections open: keepalive decides when one is dead. */
  get keepsAlive(): boolean {
    return true;
  }

  newStream(listener: MessageListener): ClientStream {
    this.active++;
    return new XClientStream(this, this.nextStreamId++, listener);
  }

  send(stream: XClientStream, frame: XFrame): void {
    if (this.connection.closing) {
      return stream.fail("connection_termination", "the upstream connection is closing");
    }
    let bytes = this.codec.encode(frame);
    // The bytes already went to a socket (a retry, a mirror): they are its now, so copy.
    if (bytes === frame.bytes && frame.written) bytes = copyBytes(bytes);
    else if (bytes === frame.bytes) frame.written = true;
    const id = this.ids.next(this.isInUse);
    if (this.logger.enabled("debug")) {
      this.logger.debug(
        `${this.codec.name} [${this.connection.id}] request id ${frame.requestId} rewritten to ${id} upstream`,
      );
    }
    writeId(bytes, frame.idOffset, frame.idLength, id);
    this.codec.seal?.(bytes);
    if (frame.oneway) {
      this.connection.write(bytes);
      return this.release(stream);
    }
    stream.wireId = id;
    this.inFlight.set(id, stream);
    this.connection.write(bytes);
  }

  release(stream: XClientStream): void {
    if (stream.done) return;
    stream.done = true;
    if (stream.wireId !== 0) this.inFlight.delete(stream.wireId);
    this.active--;
    this.onStreamDone?.(stream);
  }

  dispatch(buf: ByteBuffer): void {
    while (!this.connection.closed) {
      let length: number;
      try {
        length = this.codec.frameLength(buf, this.options.maxFrameBytes);
      } catch (err) {
        return this.protocolError(err);
      }
      if (length === NEED_MORE || buf.length < length) return;
      let frame: XFrame;
      try {
        frame = this.codec.decode(buf.take(length));
      } catch (err) {
        return this.protocolError(err);
      }
      this.onFrame(frame);
    }
  }

  private onFrame(frame: XFrame): void {
    if (frame.heartbeat) {
      if (frame.isRequest) {
        // The upstream pings us: answered here, as at any hop.
        this.stats.heartbeatsAnswered.value++;
        if (!frame.oneway) this.connection.write(this.codec.heartbeatReply(frame));
      } else if (!this.keepalive.onHeartbeatAck(frame.requestId)) {
        this.stats.unknownResponseIds.value++;
      }
      return;
    }
    this.keepalive.onRead();
    if (frame.isRequest) {
      this.stats.unexpectedFrames.value++;
      return;
    }
    const stream = this.inFlight.get(frame.requestId);
    if (stream === undefined) {
      this.stats.unknownResponseIds.value++;
      return;
    }
    stream.deliver(frame);
  }

  endOfInput(): void {
    // No response can come any more: the streams in flight fail now, not at their timeout.
    this.usable = false;
    this.connection.close("flush");
  }

  // ---- keepalive ----

  sendHeartbeat(): number {
    const id = this.ids.next(this.isInUse);
    this.heartbeatId = id;
    this.connection.write(this.codec.heartbeat(id));
    return id;
  }

  forgetHeartbeat(id: number): void {
    if (this.heartbeatId === id) this.heartbeatId = 0;
  }

  onHeartbeatFailed(id: number): void {
    this.forgetHeartbeat(id);
    this.stats.keepaliveFailures.value++;
  }

  onKeepaliveDead(): void {
    this.stats.keepaliveCloses.value++;
    this.logger.warn(
      `${this.codec.name} [${this.connection.id}] upstream ${this.connection.remote.host}:${this.connection.remote.port} missed ${this.options.keepaliveFailuresToClose} heartbeats, closing`,
    );
    this.usable = false;
    this.connection.close("now");
  }

  // ---- connection events ----

  onConnected(): void {
    this.connected = true;
    this.keepalive.start();
  }

  onClose(event: CloseEvent): void {
    this.usable = false;
    this.keepalive.stop();
    const reason: ResetReason = this.connected ? "connection_termination" : "connection_failure";
    const details = event.error?.message ?? event.reason;
    for (const s of [...this.inFlight.values()]) s.fail(reason, details);
    this.inFlight.clear();
  }

  onAboveWriteBufferHighWatermark(): void {
    for (const s of this.inFlight.values()) s.callbacks?.onAboveWriteBufferHighWatermark();
  }

  onBelowWriteBufferLowWatermark(): void {
    for (const s of this.inFlight.values()) s.callbacks?.onBelowWriteBufferLowWatermark();
  }

  private protocolError(err: unknown): void {
    this.stats.codecErrors.value++;
    this.logger.warn(
      `${this.codec.name} [${this.connection.id}] bad frame from upstream, closing: ${(err as Error)?.message ?? err}`,
    );
    this.usable = false;
    this.connection.close("now");
  }
}
