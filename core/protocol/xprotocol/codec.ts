import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { Detection } from "../../stream/protocol.ts";
import type { XFrame } from "./frame.ts";

/** `frameLength` found too few bytes to know the frame's length. */
export const NEED_MORE = -1;

/**
 * The wire format of one multiplexed RPC protocol (MOSN's api.XProtocol): everything the
 * generic xprotocol stream layer needs to frame, route, rewrite and answer its messages.
 * A protocol is one folder under core/protocol exporting one of these; the stream layer
 * (core/stream/xprotocol) and the proxy never look inside a frame themselves.
 *
 * Every method is synchronous and works on whole frames; none keeps a reference to its input
 * beyond the XFrame it returns. Errors are XCodecError, never anything else.
 */
export interface XCodec {
  /** As MOSN names the sub-protocol: "bolt", "dubbo". */
  readonly name: string;
  /** Whether a connection starting with `buf` speaks this protocol (its magic bytes). */
  detect(buf: ByteBuffer): Detection;
  /**
   * The length of the frame starting at `buf`'s first byte, from its fixed header; NEED_MORE
   * while that header is not all in. Throws XCodecError (not replyable) when the bytes cannot
   * start a frame, or the frame is longer than `maxFrameBytes`.
   */
  frameLength(buf: ByteBuffer, maxFrameBytes: number): number;
  /**
   * Decodes one whole frame of `bytes.length` bytes; the returned frame owns `bytes`. Throws
   * XCodecError for a frame whose contents cannot be parsed (replyable when it is a two-way
   * request whose fixed header is sound; never for a oneway request, which gets no response).
   */
  decode(bytes: Uint8Array): XFrame;
  /**
   * The bytes to send for `frame` as its headers stand now: `frame.bytes` when it is clean, a
   * new encoding when a route or filter changed its headers. The id field is written by the
   * caller afterwards, at the frame's `idOffset`.
   */
  encode(frame: XFrame): Uint8Array;
  /**
   * Brings a frame's checksum up to date after its id was written (Bolt v2's CRC32); absent
   * where frames carry none. Called on every frame the stream layer patches.
   */
  seal?(bytes: Uint8Array): void;
  /** The largest request id the proxy may give an upstream request (Bolt 2^32 - 1). */
  readonly maxRequestId: number;
  /** A heartbeat request with id `id`, for keeping an idle upstream connection alive. */
  heartbeat(id: number): Uint8Array;
  /**
   * The answer to a heartbeat request (a frame that decoded with `heartbeat` set), with the
   * request's id (MOSN's Reply).
   */
  heartbeatReply(request: XFrame): Uint8Array;
  /**
   * A response the proxy makes itself for the request in `requestBytes` (a whole request frame
   * whose fixed header is sound, even if its body is not), carrying the request's id, with the
   * HTTP-style `status` mapped onto the protocol's codes (MOSN's Hijack and Mapping), and
   * `message` where the protocol has room for one.
   */
  errorResponse(requestBytes: Uint8Array, status: number, message: string): Uint8Array;
}
