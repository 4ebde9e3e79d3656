import type { XFrame } from "../xprotocol/frame.ts";
import { CMD_HEARTBEAT, CMD_RESPONSE, HESSIAN2, STATUS_SUCCESS, TYPE_REQUEST, TYPE_RESPONSE } from "./constants.ts";
import { crc32 } from "./crc32.ts";
import { errorContent } from "./error-content.ts";
import { writeHeaderMap } from "./header-map-codec.ts";
import { type BoltLayout, CRC_LENGTH, hasCrc, headLength, lengthsAt } from "./layout.ts";
import { boltStatusFor } from "./status.ts";

/** Whether a frame of this layout carries a CRC32 at its end. */
function crcOn(layout: BoltLayout, bytes: Uint8Array): boolean {
  return layout.switchAt >= 0 && hasCrc(layout, bytes[layout.switchAt]!);
}

/**
 * A frame whose header map a route or filter changed: the fixed header, class and content as
 * they came, the header map written anew (MOSN's bolt encoder does the same when the header
 * changed). A clean frame is sent as its own bytes. A CRC is brought up to date by `seal`, after
 * the id is written.
 */
export function encodeBolt(layout: BoltLayout, frame: XFrame): Uint8Array {
  if (!frame.dirty) return frame.bytes;
  const src = frame.bytes;
  const type = src[layout.typeAt]!;
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const at = lengthsAt(layout, type);
  const classLen = view.getUint16(at);
  const oldHeaderLen = view.getUint16(at + 2);
  const head = headLength(layout, type);
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

/** Rewrites a v2 frame's CRC32 after its id changed; a frame without one is left alone. */
export function sealBolt(layout: BoltLayout, bytes: Uint8Array): void {
  if (!crcOn(layout, bytes)) return;
  const end = bytes.length - CRC_LENGTH;
  writeU32(bytes, end, crc32(bytes, 0, end));
}

function writeU32(out: Uint8Array, at: number, n: number): void {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

/** The protocol code, v2's version byte, the type, command and ver2 bytes of a new frame. */
function start(layout: BoltLayout, out: Uint8Array, type: number, cmd: number, version: number): void {
  out[0] = layout.proto;
  if (layout.typeAt === 2) out[1] = version;
  out[layout.typeAt] = type;
  out[layout.cmdAt + 1] = cmd;
  out[layout.cmdAt + 2] = 1; // ver2
}

/** A heartbeat request (MOSN's Trigger): a request with command code 0, no timeout, no body. */
export function boltHeartbeat(layout: BoltLayout, id: number): Uint8Array {
  const out = new Uint8Array(headLength(layout, TYPE_REQUEST));
  start(layout, out, TYPE_REQUEST, CMD_HEARTBEAT, 1);
  writeU32(out, layout.idAt, id);
  out[layout.codecAt] = HESSIAN2;
  writeU32(out, layout.fieldAt, 0xffffffff); // timeout -1
  return out;
}

/**
 * A response to the request in `request`: its version, id, codec and CRC switch, the given
 * command, status and content, and a CRC when the request had one.
 */
function response(
  layout: BoltLayout,
  request: Uint8Array,
  cmd: number,
  status: number,
  content?: Uint8Array,
): Uint8Array {
  const head = headLength(layout, TYPE_RESPONSE);
  const crc = crcOn(layout, request);
  const out = new Uint8Array(head + (content?.length ?? 0) + (crc ? CRC_LENGTH : 0));
  start(layout, out, TYPE_RESPONSE, cmd, request[1]!);
  out.set(request.subarray(layout.idAt, layout.idAt + 4), layout.idAt);
  out[layout.codecAt] = request[layout.codecAt]!;
  if (layout.switchAt >= 0) out[layout.switchAt] = request[layout.switchAt]!;
  out[layout.fieldAt] = status >>> 8;
  out[layout.fieldAt + 1] = status & 0xff;
  if (content) {
    writeU32(out, lengthsAt(layout, TYPE_RESPONSE) + 4, content.length);
    out.set(content, head);
  }
  sealBolt(layout, out);
  return out;
}

/** MOSN's Reply: a heartbeat ack with the request's id. */
export function boltHeartbeatReply(layout: BoltLayout, request: XFrame): Uint8Array {
  return response(layout, request.bytes, CMD_HEARTBEAT, STATUS_SUCCESS);
}

/**
 * MOSN's Hijack: an RPC response with the mapped status. Where the request was hessian2 (what
 * SOFARPC clients send), the content is an RpcServerException naming the reason, which the
 * client raises; otherwise the status alone.
 */
export function boltErrorResponse(
  layout: BoltLayout,
  requestBytes: Uint8Array,
  httpStatus: number,
  message: string,
): Uint8Array {
  const content = requestBytes[layout.codecAt] === HESSIAN2 && message !== "" ? errorContent(message) : undefined;
  return response(layout, requestBytes, CMD_RESPONSE, boltStatusFor(httpStatus), content);
}
