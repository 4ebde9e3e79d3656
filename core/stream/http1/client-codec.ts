import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { CloseEvent, ConnectionCallbacks } from "../../net/connection-events.ts";
import type { Connection } from "../../net/connection.ts";
import { BODY_MORE, type BodySink } from "../../protocol/http1/body-sink.ts";
import { ChunkedDecoder } from "../../protocol/http1/chunked-decoder.ts";
import {
  chunkHead,
  CRLF,
  encodeLastChunkWithTrailers,
  encodeRequestHead,
  LAST_CHUNK,
} from "../../protocol/http1/encoder.ts";
import { type BodyFraming, responseFraming } from "../../protocol/http1/framing.ts";
import { HeadScanner, NEED_MORE } from "../../protocol/http1/head-scanner.ts";
import { stripHopByHop } from "../../protocol/http1/hop-by-hop.ts";
import { LengthDecoder } from "../../protocol/http1/length-decoder.ts";
import type { Http1Limits } from "../../protocol/http1/limits.ts";
import { Http1ParseError } from "../../protocol/http1/parse-error.ts";
import { parseResponseHead } from "../../protocol/http1/response-head.ts";
import { HeaderMap } from "../header-map.ts";
import type { ClientCodec, ClientStream, MessageListener, ResetReason, StreamCallbacks } from "../types.ts";

const EMPTY = new Uint8Array(0);
/** Methods whose request carries content by definition: an empty one says so with a length. */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

const Phase = { Idle: 0, Head: 1, Body: 2, Tunnel: 3, Closed: 4 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** One request in flight on an HTTP/1 upstream connection. */
class Http1ClientStream implements ClientStream {
  callbacks: StreamCallbacks | undefined;
  method = "GET";
  upgrade = false;
  requestDone = false;
  responseDone = false;
  private chunked = false;
  readDisables = 0;

  constructor(readonly id: number, readonly listener: MessageListener, private readonly codec: Http1ClientCodec) {}

  setCallbacks(callbacks: StreamCallbacks): void {
    this.callbacks = callbacks;
  }

  sendHeaders(headers: HeaderMap, end: boolean): void {
    const conn = this.codec.connection;
    if (this.requestDone || conn.closing) return;
    this.method = headers.get(":method") ?? "GET";
    const authority = headers.get(":authority");
    const target = this.method === "CONNECT" ? (authority ?? "") : (headers.get(":path") ?? "/");
    // Host first, as RFC 9112 §3.2 asks of a client, then the rest as they came.
    const out = new HeaderMap();
    if (authority !== undefined) out.add("host", authority);
    headers.forEach((name, value, spelling) => {
      if (name.charCodeAt(0) !== 0x3a && name !== "host" && name !== "transfer-encoding" && name !== "connection") {
        out.add(spelling, value);
      }
    });
    this.upgrade = out.has("upgrade");
    if (this.upgrade) out.set("connection", "upgrade");
    if (!out.has("content-length")) {
      if (end) {
        if (BODY_METHODS.has(this.method)) out.set("content-length", "0");
      } else if (this.method !== "CONNECT" && !this.upgrade) {
        out.set("transfer-encoding", "chunked");
        this.chunked = true;
      }
    }
    conn.write(encodeRequestHead(this.method, target, out));
    if (end) this.requestComplete();
  }

  sendData(chunk: Uint8Array, end: boolean): void {
    const conn = this.codec.connection;
    if (this.requestDone && !this.codec.tunneling) return;
    if (conn.closing) return;
    if (this.chunked) {
      if (chunk.length > 0) {
        conn.writev(end ? [chunkHead(chunk.length), chunk, CRLF, LAST_CHUNK] : [chunkHead(chunk.length), chunk, CRLF]);
      } else if (end) conn.write(LAST_CHUNK);
    } else if (chunk.length > 0) {
      conn.write(chunk);
    }
    if (end) {
      if (this.codec.tunneling) conn.end();
      this.requestComplete();
    }
  }

  sendTrailers(trailers: HeaderMap): void {
    if (this.requestDone || this.codec.connection.closing) return;
    if (this.chunked) this.codec.connection.write(encodeLastChunkWithTrailers(trailers));
    this.requestComplete();
  }

  reset(reason: ResetReason): void {
    this.codec.resetStream(this, reason, "reset by the proxy", false);
  }

  readDisable(disable: boolean): void {
    if (disable) {
      this.readDisables++;
      this.codec.connection.readDisable(true);
    } else if (this.readDisables > 0) {
      this.readDisables--;
      this.codec.connection.readDisable(false);
    }
  }

  releaseReadDisables(): void {
    while (this.readDisables > 0) this.readDisable(false);
  }

  private requestComplete(): void {
    if (this.requestDone) return;
    this.requestDone = true;
    this.codec.onRequestComplete(this);
  }
}

/**
 * The client side of an HTTP/1.1 upstream connection: one request at a time (no upstream
 * pipelining, as in Envoy and MOSN), the request encoded from the stream layer's headers (Host
 * from `:authority`, chunked when the body's length is unknown), the response decoded with the
 * same strictness as requests downstream. The connection stays `reusable` only after an exchange
 * that ended cleanly both ways with a keep-alive response; a close-delimited body, `Connection:
 * close`, a malformed response or a reset end it.
 */
export class Http1ClientCodec implements ClientCodec, ConnectionCallbacks, BodySink {
  readonly capacity = 1;
  onStreamDone: ((stream: ClientStream) => void) | null = null;
  private phase: Phase = Phase.Idle;
  private stream: Http1ClientStream | undefined;
  private readonly scanner: HeadScanner;
  private decoder: LengthDecoder | ChunkedDecoder | null = null;
  private framing: BodyFraming | undefined;
  private keepAlive = true;
  private nextStreamId = 1;
  private readonly views: Uint8Array[] = [];

  constructor(readonly connection: Connection, private readonly limits: Http1Limits) {
    this.scanner = new HeadScanner(limits, "response");
    connection.addConnectionCallbacks(this);
  }

  get activeStreams(): number {
    return this.stream ? 1 : 0;
  }

  get reusable(): boolean {
    return this.keepAlive && this.phase !== Phase.Closed && !this.connection.closing;
  }

  get tunneling(): boolean {
    return this.phase === Phase.Tunnel;
  }

  newStream(listener: MessageListener): ClientStream {
    if (this.stream || !this.reusable) throw new Error("Http1ClientCodec: newStream on a busy or spent connection");
    const stream = new Http1ClientStream(this.nextStreamId++, listener, this);
    this.stream = stream;
    this.phase = Phase.Head;
    return stream;
  }

  dispatch(buf: ByteBuffer): void {
    for (;;) {
      const stream = this.stream;
      switch (this.phase) {
        case Phase.Idle:
          // Bytes nobody asked for: the connection's framing can no longer be trusted.
          if (buf.length > 0) this.fail();
          return;
        case Phase.Head: {
          const length = this.scanner.scan(buf);
          if (length === NEED_MORE) return;
          if (length instanceof Http1ParseError) return this.protocolError(length);
          const head = parseResponseHead(buf.take(length));
          if (head instanceof Http1ParseError) return this.protocolError(head);
          if (head.status < 200 && head.status !== 101) continue; // 1xx: the final response follows
          const framing = responseFraming(head, stream!.method);
          if (framing instanceof Http1ParseError) return this.protocolError(framing);
          const options = stripHopByHop(head.headers);
          if (options.close || framing.kind === "close" || (head.minorVersion === 0 && !options.keepAlive)) {
            this.keepAlive = false;
          }
          const headers = new HeaderMap();
          headers.add(":status", String(head.status));
          head.headers.forEach((_name, value, spelling) => headers.add(spelling, value));
          const tunnel = (head.status === 101 && stream!.upgrade) ||
            (stream!.method === "CONNECT" && head.status >= 200 && head.status < 300);
          if (tunnel) {
            this.phase = Phase.Tunnel;
            this.keepAlive = false;
            stream!.listener.onHeaders(headers, false);
            continue;
          }
          this.framing = framing;
          this.decoder = framing.kind === "chunked"
            ? new ChunkedDecoder(this.limits)
            : framing.kind === "length"
            ? new LengthDecoder(framing.length)
            : null;
          const hasBody = framing.kind !== "none";
          this.phase = hasBody ? Phase.Body : Phase.Idle;
          if (!hasBody) {
            // The connection goes back to the pool before the listener hears the end: whatever
            // the listener starts next (a pipelined request) finds it free.
            stream!.responseDone = true;
            this.streamDone(stream!);
          }
          stream!.listener.onHeaders(headers, !hasBody);
          break;
        }
        case Phase.Body: {
          if (this.framing!.kind === "close") {
            this.forwardAll(buf, stream!);
            return;
          }
          const progress = this.decoder!.decode(buf, this);
          if (progress instanceof Http1ParseError) return this.protocolError(progress);
          if (progress === BODY_MORE || this.phase !== Phase.Body) return;
          this.responseComplete(true);
          break;
        }
        case Phase.Tunnel:
          this.forwardAll(buf, stream!);
          return;
        case Phase.Closed:
          return;
      }
    }
  }

  endOfInput(): void {
    const stream = this.stream;
    if (this.phase === Phase.Body && this.framing?.kind === "close") {
      this.keepAlive = false;
      this.responseComplete(true);
    } else if (this.phase === Phase.Tunnel && stream) {
      stream.listener.onData(EMPTY, true);
    } else if (stream && !stream.responseDone) {
      this.resetStream(stream, "remote_reset", "upstream closed before the response ended", true);
    } else {
      this.keepAlive = false;
      this.connection.close("flush");
    }
  }

  onBodyData(chunk: Uint8Array): void {
    this.stream?.listener.onData(chunk, false);
  }

  onTrailers(trailers: HeaderMap): void {
    const stream = this.stream;
    if (!stream) return;
    this.responseComplete(false);
    stream.listener.onTrailers(trailers);
  }

  onRequestComplete(stream: Http1ClientStream): void {
    if (stream.responseDone) this.streamDone(stream);
  }

  onClose(ev: CloseEvent): void {
    this.phase = Phase.Closed;
    const stream = this.stream;
    if (stream && !stream.responseDone) {
      this.stream = undefined;
      stream.responseDone = true;
      stream.releaseReadDisables();
      stream.callbacks?.onReset("connection_termination", ev.error?.message ?? ev.reason);
      this.onStreamDone?.(stream);
    }
  }

  onAboveWriteBufferHighWatermark(): void {
    this.stream?.callbacks?.onAboveWriteBufferHighWatermark();
  }

  onBelowWriteBufferLowWatermark(): void {
    this.stream?.callbacks?.onBelowWriteBufferLowWatermark();
  }

  /** Ends `stream` abnormally: the connection is closed, since half an exchange leaves it unusable. */
  resetStream(stream: Http1ClientStream, reason: ResetReason, details: string, notify: boolean): void {
    if (stream !== this.stream) return;
    this.stream = undefined;
    stream.responseDone = true;
    stream.releaseReadDisables();
    this.keepAlive = false;
    this.phase = Phase.Closed;
    this.connection.close("now");
    if (notify) stream.callbacks?.onReset(reason, details);
    this.onStreamDone?.(stream);
  }

  private responseComplete(sendEnd: boolean): void {
    const stream = this.stream;
    if (!stream || this.phase !== Phase.Body) return;
    this.phase = Phase.Idle;
    this.decoder = null;
    stream.responseDone = true;
    // Free the connection first (see the bodiless case above), then end the response.
    this.streamDone(stream);
    if (sendEnd) stream.listener.onData(EMPTY, true);
  }

  /** Hands the stream back once both directions are done; the connection closes if it cannot be reused. */
  private streamDone(stream: Http1ClientStream): void {
    if (stream !== this.stream || !stream.responseDone) return;
    if (!stream.requestDone) {
      // The server answered before reading the whole request (a 413, say): the rest of the
      // request would be read as the next one, so this connection is finished.
      this.keepAlive = false;
      return this.finishStream(stream);
    }
    this.finishStream(stream);
  }

  private finishStream(stream: Http1ClientStream): void {
    this.stream = undefined;
    stream.releaseReadDisables();
    if (!this.keepAlive) {
      this.phase = Phase.Closed;
      this.connection.close("flush");
    }
    this.onStreamDone?.(stream);
  }

  private forwardAll(buf: ByteBuffer, stream: Http1ClientStream): void {
    if (buf.length === 0) return;
    const views = this.views;
    buf.takeChunks(buf.length, views);
    for (let i = 0; i < views.length; i++) stream.listener.onData(views[i]!, false);
    views.length = 0;
  }

  private protocolError(error: Http1ParseError): void {
    const stream = this.stream;
    if (stream) this.resetStream(stream, "protocol_error", `malformed response: ${error.reason}`, true);
    else this.fail();
  }

  private fail(): void {
    this.keepAlive = false;
    this.phase = Phase.Closed;
    this.connection.close("now");
  }
}
