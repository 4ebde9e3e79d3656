import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { CloseEvent, ConnectionCallbacks } from "../../net/connection-events.ts";
import type { Connection } from "../../net/connection.ts";
import { BODY_MORE, type BodySink } from "../../protocol/http1/body-sink.ts";
import { ChunkedDecoder } from "../../protocol/http1/chunked-decoder.ts";
import { encodeResponseHead } from "../../protocol/http1/encoder.ts";
import { requestFraming } from "../../protocol/http1/framing.ts";
import { HeadScanner, NEED_MORE } from "../../protocol/http1/head-scanner.ts";
import { stripHopByHop } from "../../protocol/http1/hop-by-hop.ts";
import { LengthDecoder } from "../../protocol/http1/length-decoder.ts";
import type { Http1Limits } from "../../protocol/http1/limits.ts";
import { Http1ParseError } from "../../protocol/http1/parse-error.ts";
import { parseRequestHead, type RequestHead } from "../../protocol/http1/request-head.ts";
import { isValidAuthority, splitRequestTarget } from "../../protocol/http1/request-target.ts";
import { statusText } from "../../protocol/http1/status-text.ts";
import { HeaderMap } from "../header-map.ts";
import type { MessageListener, ResetReason, ServerCodec, ServerCodecCallbacks } from "../types.ts";
import { Http1ServerStream, type ServerStreamOwner } from "./server-stream.ts";

const Phase = { Head: 0, Body: 1, AwaitResponse: 2, Tunnel: 3, Closed: 4 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

const EMPTY = new Uint8Array(0);
const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");

/**
 * The server side of an HTTP/1.1 connection (MOSN's server stream connection for Http1): turns
 * the bytes of a downstream connection into one stream per request, one at a time.
 *
 * Pipelining: after a complete request the codec stops decoding until the response is done,
 * then decodes what is already buffered, so responses go out in request order with no queue
 * (as Envoy's codec pauses and MOSN's serve loop waits). Reading goes on meanwhile, so a client
 * that goes away is noticed at once; only when a client pushes more than a head's worth of
 * pipelined bytes is the connection read-disabled.
 *
 * Request headers reach the proxy with pseudo-keys (`:method`, `:scheme`, `:authority` from an
 * absolute-form target or Host, `:path`) and without hop-by-hop fields. `Expect: 100-continue`
 * is answered here. A malformed request gets its 4xx and the connection is closed.
 */
export class Http1ServerCodec implements ServerCodec, ServerStreamOwner, ConnectionCallbacks, BodySink {
  private phase: Phase = Phase.Head;
  private readonly scanner: HeadScanner;
  private decoder: LengthDecoder | ChunkedDecoder | null = null;
  private stream: Http1ServerStream | undefined;
  private listener: MessageListener | undefined;
  private buf: ByteBuffer | undefined;
  private dispatching = false;
  private pipelinePaused = false;
  private peerEnded = false;
  private drainRequested = false;
  private nextStreamId = 1;
  private readonly views: Uint8Array[] = [];

  constructor(
    readonly connection: Connection,
    private readonly callbacks: ServerCodecCallbacks,
    private readonly limits: Http1Limits,
  ) {
    this.scanner = new HeadScanner(limits, "request");
    connection.addConnectionCallbacks(this);
  }

  get activeStreams(): number {
    return this.stream ? 1 : 0;
  }

  /** A graceful stop: the response in progress is the last (see drain). */
  get draining(): boolean {
    return this.drainRequested;
  }

  dispatch(buf: ByteBuffer): void {
    this.buf = buf;
    if (this.dispatching) return; // the loop below is running further up the stack and sees the new bytes
    this.dispatching = true;
    try {
      this.decode(buf);
    } finally {
      this.dispatching = false;
    }
  }

  /**
   * Idle between requests with nothing buffered: closes now. A request in progress (or whose
   * head has begun to arrive) is answered with Connection: close, then the connection closes;
   * requests pipelined behind it are not read (RFC 9112 §9.6: the client retries them).
   */
  drain(): void {
    this.drainRequested = true;
    if (this.phase === Phase.Head && !this.stream && (this.buf === undefined || this.buf.length === 0)) {
      this.phase = Phase.Closed;
      this.connection.close("flush");
    }
  }

  /** The client half-closed: no more requests will come. */
  endOfInput(): void {
    this.peerEnded = true;
    if (this.phase === Phase.Tunnel) {
      this.listener?.onData(EMPTY, true);
    } else if (this.phase === Phase.Body) {
      // The body was cut short: the request cannot be completed.
      this.resetStream("remote_reset", "client closed mid-request");
      this.connection.close("flush");
    } else if (this.phase === Phase.Head && !this.stream) {
      this.connection.close("flush");
    }
    // AwaitResponse: the request is whole; answer it, then close.
  }

  private decode(buf: ByteBuffer): void {
    for (;;) {
      switch (this.phase) {
        case Phase.Head: {
          if (buf.length === 0) return;
          const length = this.scanner.scan(buf);
          if (length === NEED_MORE) return;
          if (length instanceof Http1ParseError) return this.refuse(length);
          const head = parseRequestHead(buf.take(length));
          if (head instanceof Http1ParseError) return this.refuse(head);
          const problem = this.startRequest(head);
          if (problem) return this.refuse(problem);
          break;
        }
        case Phase.Body: {
          const progress = this.decoder!.decode(buf, this);
          if (progress instanceof Http1ParseError) {
            const started = this.stream?.responseStarted ?? false;
            this.resetStream("protocol_error", progress.reason);
            if (!started) return this.refuse(progress);
            this.phase = Phase.Closed;
            this.connection.close("now", "error", new Error(progress.reason));
            return;
          }
          if (progress === BODY_MORE || this.phase !== Phase.Body) return;
          this.endRequest(true);
          break;
        }
        case Phase.AwaitResponse: {
          if (!this.pipelinePaused && buf.length > this.limits.maxHeaderBytes) {
            this.pipelinePaused = true;
            this.connection.readDisable(true);
          }
          return;
        }
        case Phase.Tunnel: {
          if (buf.length === 0) return;
          const views = this.views;
          buf.takeChunks(buf.length, views);
          for (let i = 0; i < views.length; i++) this.listener?.onData(views[i]!, false);
          views.length = 0;
          return;
        }
        case Phase.Closed:
          return;
      }
    }
  }

  private startRequest(head: RequestHead): Http1ParseError | undefined {
    const framing = requestFraming(head);
    if (framing instanceof Http1ParseError) return framing;
    const target = splitRequestTarget(head.method, head.target);
    if (target instanceof Http1ParseError) return target;
    const fields = head.headers;
    const hosts = fields.getAll("host");
    // RFC 9112 §3.2: a 1.1 request without Host, or any request with two, is refused.
    if (hosts.length > 1 || (hosts.length === 0 && head.minorVersion === 1)) {
      return new Http1ParseError(400, "a request needs exactly one Host");
    }
    if (hosts.length === 1 && !isValidAuthority(hosts[0]!)) return new Http1ParseError(400, "malformed Host");
    const expect = fields.get("expect");
    if (expect !== undefined && expect.toLowerCase() !== "100-continue") {
      return new Http1ParseError(400, "unsupported Expect");
    }
    const options = stripHopByHop(fields);
    const close = options.close || (head.minorVersion === 0 && !options.keepAlive);
    const headers = new HeaderMap();
    headers.add(":method", head.method);
    headers.add(":scheme", target.scheme ?? "http");
    const authority = target.authority ?? hosts[0];
    if (authority !== undefined) headers.add(":authority", authority);
    if (target.path !== undefined) headers.add(":path", target.path);
    fields.forEach((name, value, spelling) => {
      if (name !== "host" && name !== "expect") headers.add(spelling, value);
    });
    const stream = new Http1ServerStream(this.nextStreamId++, {
      method: head.method,
      minorVersion: head.minorVersion,
      close,
      upgrade: options.upgrade,
    }, this);
    this.stream = stream;
    const hasBody = framing.kind !== "none";
    if (expect !== undefined && hasBody && head.minorVersion === 1) this.connection.write(CONTINUE);
    this.decoder = framing.kind === "chunked"
      ? new ChunkedDecoder(this.limits)
      : framing.kind === "length"
      ? new LengthDecoder(framing.length)
      : null;
    this.phase = hasBody ? Phase.Body : Phase.AwaitResponse;
    this.listener = this.callbacks.newStream(stream);
    this.listener.onHeaders(headers, !hasBody);
    return undefined;
  }

  onBodyData(chunk: Uint8Array): void {
    this.listener?.onData(chunk, false);
  }

  onTrailers(trailers: HeaderMap): void {
    this.endRequest(false);
    this.listener?.onTrailers(trailers);
  }

  /** The request is whole; `sendEnd` marks it with an empty last data part (no trailers came). */
  private endRequest(sendEnd: boolean): void {
    if (this.phase !== Phase.Body) return;
    this.phase = Phase.AwaitResponse;
    this.decoder = null;
    if (sendEnd) this.listener?.onData(EMPTY, true);
  }

  requestComplete(stream: Http1ServerStream): boolean {
    return stream !== this.stream || this.phase !== Phase.Body;
  }

  onResponseComplete(stream: Http1ServerStream, close: boolean): void {
    if (stream !== this.stream) return;
    // A response that ends before its request (a local reply to an upload) leaves the rest of
    // the request unread: the connection cannot be trusted for another exchange.
    const unread = this.phase === Phase.Body;
    this.finishStream();
    if (close || unread || this.peerEnded || this.drainRequested) {
      this.phase = Phase.Closed;
      this.connection.close("flush");
      return;
    }
    this.phase = Phase.Head;
    if (this.pipelinePaused) {
      this.pipelinePaused = false;
      this.connection.readDisable(false);
    }
    if (this.buf && this.buf.length > 0 && !this.dispatching) this.dispatch(this.buf);
  }

  onTunnel(stream: Http1ServerStream): void {
    if (stream !== this.stream) return;
    this.phase = Phase.Tunnel;
    this.decoder = null;
    if (this.pipelinePaused) {
      this.pipelinePaused = false;
      this.connection.readDisable(false);
    }
    if (this.buf && this.buf.length > 0 && !this.dispatching) this.dispatch(this.buf);
  }

  onStreamReset(stream: Http1ServerStream, _reason: ResetReason): void {
    if (stream !== this.stream) return;
    this.finishStream();
    this.phase = Phase.Closed;
    // The response is cut (or never came): the client must see an abnormal end, not a short body.
    this.connection.close("now", "local_close", stream.responseStarted ? new Error("stream reset") : undefined);
  }

  onClose(ev: CloseEvent): void {
    this.phase = Phase.Closed;
    if (this.stream && !this.stream.responseDone) {
      this.resetStream("connection_termination", ev.error?.message ?? ev.reason);
    }
  }

  onAboveWriteBufferHighWatermark(): void {
    this.stream?.callbacks?.onAboveWriteBufferHighWatermark();
  }

  onBelowWriteBufferLowWatermark(): void {
    this.stream?.callbacks?.onBelowWriteBufferLowWatermark();
  }

  /** Tells the current stream's owner it is gone, and forgets it. */
  private resetStream(reason: ResetReason, details: string): void {
    const stream = this.stream;
    if (!stream) return;
    this.finishStream();
    stream.responseDone = true;
    stream.callbacks?.onReset(reason, details);
  }

  private finishStream(): void {
    this.stream?.releaseReadDisables();
    this.stream = undefined;
    this.listener = undefined;
    this.decoder = null;
  }

  /** Answers a request that cannot be served with its 4xx/5xx, then closes (RFC 9112 §11.2: a message that cannot be framed leaves the connection unusable). */
  private refuse(error: Http1ParseError): void {
    this.phase = Phase.Closed;
    if (this.connection.closing) return;
    const body = new TextEncoder().encode(error.reason + "\n");
    const headers = new HeaderMap();
    headers.add("content-type", "text/plain; charset=utf-8");
    headers.add("content-length", String(body.length));
    headers.add("connection", "close");
    this.connection.writev([encodeResponseHead(error.status, statusText(error.status), headers), body]);
    this.connection.close("flush");
  }
}
