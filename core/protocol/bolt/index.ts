import type { ByteBuffer } from "../../net/byte-buffer.ts";
import type { Detection } from "../../stream/protocol.ts";
import { NEED_MORE, type XCodec } from "../xprotocol/codec.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import { PROTOCOL_V1, PROTOCOL_V2, TYPE_ONEWAY, TYPE_REQUEST, TYPE_RESPONSE } from "./constants.ts";
import { decodeBolt, fixedHeaderLength, lengthsAt } from "./decode.ts";
import { boltErrorResponse, boltHeartbeat, boltHeartbeatReply, encodeBolt } from "./encode.ts";

/** A connection that starts with Bolt v1's protocol byte and a request type. */
function detect(buf: ByteBuffer): Detection {
  if (buf.length < 1) return "more";
  if (buf.uint8(0) !== PROTOCOL_V1) return "no";
  if (buf.length < 2) return "more";
  const type = buf.uint8(1);
  return type === TYPE_REQUEST || type === TYPE_ONEWAY ? "yes" : "no";
}

function frameLength(buf: ByteBuffer, maxFrameBytes: number): number {
  if (buf.length < 2) return NEED_MORE;
  const proto = buf.uint8(0);
  if (proto !== PROTOCOL_V1) {
    throw new XCodecError(
      proto === PROTOCOL_V2 ? "bolt v2 frames are not supported" : `not a bolt frame (protocol byte ${proto})`,
      false,
    );
  }
  const type = buf.uint8(1);
  if (type !== TYPE_REQUEST && type !== TYPE_ONEWAY && type !== TYPE_RESPONSE) {
    throw new XCodecError(`unknown bolt command type ${type}`, false);
  }
  const head = fixedHeaderLength(type);
  if (buf.length < head) return NEED_MORE;
  const at = lengthsAt(type);
  const length = head + buf.uint16(at) + buf.uint16(at + 2) + buf.uint32(at + 4);
  if (length > maxFrameBytes) {
    throw new XCodecError(`bolt frame of ${length} bytes is over the ${maxFrameBytes}-byte limit`, false);
  }
  return length;
}

/** SOFABolt v1 (MOSN's "bolt" sub-protocol). */
export const boltCodec: XCodec = {
  name: "bolt",
  detect,
  frameLength,
  decode: decodeBolt,
  encode: encodeBolt,
  maxRequestId: 0xffffffff,
  heartbeat: boltHeartbeat,
  heartbeatReply: boltHeartbeatReply,
  errorResponse: boltErrorResponse,
};
