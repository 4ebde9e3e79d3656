import type { XFrame } from "../xprotocol/frame.ts";
import {
  CMD_HEARTBEAT,
  CMD_RESPONSE,
  HESSIAN2,
  PROTOCOL_V1,
  REQUEST_HEADER_LEN,
  RESPONSE_HEADER_LEN,
  STATUS_SUCCESS,
  TYPE_REQUEST,
  TYPE_RESPONSE,
} from "./constants.ts";
import { fixedHeaderLength, lengthsAt } from "./decode.ts";
import { writeHeaderMap } from "./header-map-codec.ts";
import { errorContent } from "./error-content.ts";
import { boltStatusFor } from "./status.ts";

/**
 * A frame whose header map a route or filter changed: the fixed header, class and content as
 * they came, the header map written anew (MOSN's bolt encoder does the same when the header
 * changed). A clean frame is sent as its own bytes.
 */
export function encodeBolt(frame: XFrame): Uint8Array {
  if (!frame.dirty) return frame.bytes;
  const src = frame.bytes;
  const type = src[1]!;
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const at = lengthsAt(type);
  const classLen = view.getUint16(at);
  const oldHeaderLen = view.getUint16(at + 2);
  const head = fixedHeaderLength(type);
  const header = writeHeaderMap(frame);
  // The header length field is 16 bits: past it, send the frame as it came.
  if (header.length > 0xffff) return src;
  const contentStart = head + classLen + oldHeaderLen;
  const out = new Uint8Array(head + classLen + header.length + (src.length - contentStart));
  out.set(src.subarray(0, head + classLen), 0);
  new DataView(out.buffer).setUint16(at + 2, header.length);
  out.set(header, head + classLen);
  out.set(src.subarray(contentStart), head + classLen + header.length);
  return out;
}

function writeU32(out: Uint8Array, at: number, n: number): void {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

/** A heartbeat request (MOSN's Trigger): a request with command code 0, no timeout, no body. */
export function boltHeartbeat(id: number): Uint8Array {
  const out = new Uint8Array(REQUEST_HEADER_LEN);
  out[0] = PROTOCOL_V1;
  out[1] = TYPE_REQUEST;
  out[3] = CMD_HEARTBEAT;
  out[4] = 1;
  writeU32(out, 5, id);
  out[9] = HESSIAN2;
  writeU32(out, 10, 0xffffffff); // timeout -1
  return out;
}

/** A response to the request in `request`: its id and codec, the given command, status and content. */
function response(request: Uint8Array, cmd: number, status: number, content?: Uint8Array): Uint8Array {
  const out = new Uint8Array(RESPONSE_HEADER_LEN + (content?.length ?? 0));
  out[0] = PROTOCOL_V1;
  out[1] = TYPE_RESPONSE;
  out[3] = cmd;
  out[4] = 1;
  out.set(request.subarray(5, 9), 5);
  out[9] = request[9]!;
  out[10] = status >>> 8;
  out[11] = status & 0xff;
  if (content) {
    writeU32(out, 16, content.length);
    out.set(content, RESPONSE_HEADER_LEN);
  }
  return out;
}

/** MOSN's Reply: a heartbeat ack with the request's id. */
export function boltHeartbeatReply(request: XFrame): Uint8Array {
  return response(request.bytes, CMD_HEARTBEAT, STATUS_SUCCESS);
}

/**
 * MOSN's Hijack: an RPC response with the mapped status. Where the request was hessian2 (what
 * SOFARPC clients send), the content is an RpcServerException naming the reason, which the
 * client raises; otherwise the status alone.
 */
export function boltErrorResponse(requestBytes: Uint8Array, httpStatus: number, message: string): Uint8Array {
  const content = requestBytes[9] === HESSIAN2 && message !== "" ? errorContent(message) : undefined;
  return response(requestBytes, CMD_RESPONSE, boltStatusFor(httpStatus), content);
}
