import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { Detection } from "../../stream/protocol.ts";
import { NEED_MORE } from "../xprotocol/codec.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";

// The 16-byte header of every Dubbo 2.x frame (Dubbo's ExchangeCodec):
//
//   0-1   magic 0xdabb
//   2     flag: 0x80 request, 0x40 two-way, 0x20 event, low 5 bits the serialization id
//   3     status (responses; 0 in requests)
//   4-11  request id, 64-bit big-endian
//   12-15 body length, 32-bit big-endian

export const HEADER_BYTES = 16;
export const MAGIC_HIGH = 0xda;
export const MAGIC_LOW = 0xbb;
export const FLAG_OFFSET = 2;
export const STATUS_OFFSET = 3;
export const ID_OFFSET = 4;
export const ID_BYTES = 8;
export const LENGTH_OFFSET = 12;

export const FLAG_REQUEST = 0x80;
export const FLAG_TWO_WAY = 0x40;
export const FLAG_EVENT = 0x20;
export const SERIALIZATION_MASK = 0x1f;
/** The serialization id of Hessian 2.0, Dubbo's default and the only one this codec reads. */
export const HESSIAN2 = 2;

/** "yes" on the magic, "no" as soon as a byte differs from it, "more" while it is not all in. */
export function detect(buf: ByteBuffer): Detection {
  if (buf.length === 0) return "more";
  if (buf.uint8(0) !== MAGIC_HIGH) return "no";
  if (buf.length < 2) return "more";
  return buf.uint8(1) === MAGIC_LOW ? "yes" : "no";
}

/** The whole frame's length from its header; NEED_MORE until the header is in. */
export function frameLength(buf: ByteBuffer, maxFrameBytes: number): number {
  if (buf.length < HEADER_BYTES) return NEED_MORE;
  if (buf.uint8(0) !== MAGIC_HIGH || buf.uint8(1) !== MAGIC_LOW) {
    throw new XCodecError("dubbo: bad magic, not a frame start", false);
  }
  const length = HEADER_BYTES + buf.uint32(LENGTH_OFFSET);
  if (length > maxFrameBytes) {
    throw new XCodecError(`dubbo: a ${length}-byte frame exceeds the ${maxFrameBytes}-byte limit`, false);
  }
  return length;
}

/** Writes a header with `bodyLength` into `out[0, 16)`; the id bytes are the caller's. */
export function writeHeader(out: Uint8Array, flag: number, status: number, bodyLength: number): void {
  out[0] = MAGIC_HIGH;
  out[1] = MAGIC_LOW;
  out[FLAG_OFFSET] = flag;
  out[STATUS_OFFSET] = status;
  writeLength(out, bodyLength);
}

export function writeLength(out: Uint8Array, bodyLength: number): void {
  out[LENGTH_OFFSET] = bodyLength >>> 24;
  out[LENGTH_OFFSET + 1] = (bodyLength >>> 16) & 0xff;
  out[LENGTH_OFFSET + 2] = (bodyLength >>> 8) & 0xff;
  out[LENGTH_OFFSET + 3] = bodyLength & 0xff;
}
