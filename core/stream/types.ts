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
  /** Requests in progress on this connection. */
  readonly activeStreams: number;
}
