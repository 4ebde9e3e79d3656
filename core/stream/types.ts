import type { ByteBuffer } from "../net/byte-buffer.ts";
import type { HeaderMap } from "./header-map.ts";

/**
 * Why a stream ended before its messages did (Envoy's StreamResetReason, MOSN's
 * types.StreamResetReason). The proxy maps each to a local reply or a retry.
 */
export type ResetReason =
  | "local_reset" // we gave up on it (timeout elsewhere, client gone)
  | "remote_reset" // the peer reset it (RST_STREAM, a close mid-message)
  | "refused_stream" // the peer never processed it: safe to retry
  | "connection_failure" // the connection it would have used could not be made
  | "connection_termination" // its connection closed under it
  | "overflow" // no room: pool queue or concurrency limit
  | "protocol_error"; // the peer sent something the codec could not accept

/**
 * The parts of one message, in order: headers once, then data any number of times, then
 * trailers at most once. `end` marks the last part (trailers are always last). Data chunks are
 * views into the read buffer: forward them, do not keep them past the call without copying.
 */
export interface MessageListener {
  onHeaders(headers: HeaderMap, end: boolean): void;
  onData(chunk: Uint8Array, end: boolean): void;
  onTrailers(trailers: HeaderMap): void;
}

/** Events of one stream that are not message parts (Envoy's StreamCallbacks). */
export interface StreamCallbacks {
  onReset(reason: ResetReason, details: string): void;
  /** This stream's outbound side is backed up: stop feeding it. */
  onAboveWriteBufferHighWatermark(): void;
  onBelowWriteBufferLowWatermark(): void;
}

/** One request/response exchange on a connection, the side we send on (MOSN's StreamSender). */
export interface Stream {
  /** Codec-local, for logs (`[connId,streamId]`); wire ids never leave the codec. */
  readonly id: number;
  setCallbacks(callbacks: StreamCallbacks): void;
  sendHeaders(headers: HeaderMap, end: boolean): void;
  sendData(chunk: Uint8Array, end: boolean): void;
  sendTrailers(trailers: HeaderMap): void;
  /** Ends the stream abnormally: HTTP/1 closes the connection, HTTP/2 sends RST_STREAM. */
  reset(reason: ResetReason): void;
  /** Counted: stops (true) or restarts (false) reading this stream's inbound side. */
  readDisable(disable: boolean): void;
}

/** The downstream side of a request: what the proxy answers on. */
export interface ServerStream extends Stream {
  /** True once response headers went out: a failure can no longer become a local reply. */
  readonly responseStarted: boolean;
  /** A request that gets no response (an RPC oneway call): the proxy forgets it once it is sent. */
  readonly oneway: boolean;
  /** The timeout the client wrote into the request (Bolt's timeout field); 0 when none. */
  readonly requestTimeoutMs: number;
  /**
   * Answers with a response the proxy makes itself (an error, a direct response), with an
   * HTTP-style status the codec maps onto its protocol, and `body` as text.
   */
  sendLocalReply(status: number, body: string, headers?: HeaderMap): void;
}

/** What a server codec asks of the proxy: a listener for each new request. */
export interface ServerCodecCallbacks {
  newStream(stream: ServerStream): MessageListener;
}

/** Decodes a downstream connection's bytes into streams (MOSN's server StreamConnection). */
export interface ServerCodec {
  /** Decodes what `buf` holds; leaves bytes it cannot use yet (a partial frame, a pipelined request). */
  dispatch(buf: ByteBuffer): void;
  /** The client half-closed: no more requests will come. */
  endOfInput(): void;
  /** Requests in progress on this connection. */
  readonly activeStreams: number;
  /**
   * A graceful stop: close the connection once the requests in progress are answered (at once
   * when there are none), telling the client where the protocol can (HTTP/1: Connection: close).
   */
  drain(): void;
}

/** The upstream side of a request: what the proxy sends the request on. */
export type ClientStream = Stream;

/**
 * Encodes requests onto an upstream connection and decodes their responses (MOSN's client
 * StreamConnection). One per upstream connection; a pool decides which one a request gets.
 */
export interface ClientCodec {
  /**
   * Starts a request whose response parts go to `listener`. Only when `activeStreams <
   * capacity` and `reusable`; the pool checks.
   */
  newStream(listener: MessageListener): ClientStream;
  /** Decodes what the connection delivered (appended to `buf`). */
  dispatch(buf: ByteBuffer): void;
  /** The upstream half-closed. */
  endOfInput(): void;
  /** Streams this connection can carry at once: 1 for HTTP/1, more for multiplexed protocols. */
  readonly capacity: number;
  readonly activeStreams: number;
  /** False once the connection can take no further request (close-delimited, Connection: close, an error). */
  readonly reusable: boolean;
  /** The codec keeps its idle connection alive itself (RPC heartbeats): the pool does not time it out. */
  readonly keepsAlive?: boolean;
  /** The pool's hook: a stream finished both ways, or was reset. */
  onStreamDone: ((stream: ClientStream) => void) | null;
}
