import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { Detection } from "../../stream/protocol.ts";
import { NEED_MORE, type XCodec } from "../xprotocol/codec.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import { TYPE_ONEWAY, TYPE_REQUEST, TYPE_RESPONSE } from "./constants.ts";
import { decodeBolt } from "./decode.ts";
import { boltErrorResponse, boltHeartbeat, boltHeartbeatReply, encodeBolt, sealBolt } from "./encode.ts";
import { type BoltLayout, CRC_LENGTH, hasCrc, headLength, lengthsAt, V1, V2 } from "./layout.ts";

/** v2's version byte: 1 is v1's format under the v2 code, 2 adds the CRC switch. */
const V2_VERSIONS = [1, 2];

/** A connection that starts with this version's protocol code and a request type. */
function detect(layout: BoltLayout, buf: ByteBuffer): Detection {
  if (buf.length < 1) return "more";
  if (buf.uint8(0) !== layout.proto) return "no";
  if (buf.length <= layout.typeAt) return "more";
  if (layout === V2 && !V2_VERSIONS.includes(buf.uint8(1))) return "no";
  const type = buf.uint8(layout.typeAt);
  return type === TYPE_REQUEST || type === TYPE_ONEWAY ? "yes" : "no";
}

function frameLength(layout: BoltLayout, buf: ByteBuffer, maxFrameBytes: number): number {
  if (buf.length <= layout.typeAt) return NEED_MORE;
  const proto = buf.uint8(0);
  if (proto !== layout.proto) {
    const other = proto === V1.proto ? "bolt" : proto === V2.proto ? "boltv2" : undefined;
    throw new XCodecError(
      other ? `a ${other} frame on a ${layout.name} connection` : `not a bolt frame (protocol byte ${proto})`,
      false,
    );
  }
  const type = buf.uint8(layout.typeAt);
  if (type !== TYPE_REQUEST && type !== TYPE_ONEWAY && type !== TYPE_RESPONSE) {
    throw new XCodecError(`unknown bolt command type ${type}`, false);
  }
  const head = headLength(layout, type);
  if (buf.length < head) return NEED_MORE;
  const at = lengthsAt(layout, type);
  const crc = layout.switchAt >= 0 && hasCrc(layout, buf.uint8(layout.switchAt)) ? CRC_LENGTH : 0;
  const length = head + buf.uint16(at) + buf.uint16(at + 2) + buf.uint32(at + 4) + crc;
  if (length > maxFrameBytes) {
    throw new XCodecError(`${layout.name} frame of ${length} bytes is over the ${maxFrameBytes}-byte limit`, false);
  }
  return length;
}

function boltFamily(layout: BoltLayout): XCodec {
  return {
    name: layout.name,
    detect: (buf) => detect(layout, buf),
    frameLength: (buf, max) => frameLength(layout, buf, max),
    decode: (bytes) => decodeBolt(layout, bytes),
    encode: (frame) => encodeBolt(layout, frame),
    seal: (bytes) => sealBolt(layout, bytes),
    maxRequestId: 0xffffffff,
    heartbeat: (id) => boltHeartbeat(layout, id),
    heartbeatReply: (request) => boltHeartbeatReply(layout, request),
    errorResponse: (requestBytes, status, message) => boltErrorResponse(layout, requestBytes, status, message),
  };
}

/** SOFABolt v1 (MOSN's "bolt" sub-protocol). */
export const boltCodec: XCodec = boltFamily(V1);

/** SOFABolt v2 (MOSN's "boltv2"): v1's fields plus a version byte, a switch and an optional CRC32. */
export const boltV2Codec: XCodec = boltFamily(V2);
