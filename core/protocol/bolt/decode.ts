import { XCodecError } from "../xprotocol/codec-error.ts";
import { XFrame } from "../xprotocol/frame.ts";
import { utf8 } from "../xprotocol/utf8.ts";
import { CMD_HEARTBEAT, CMD_RESPONSE, TYPE_ONEWAY, TYPE_REQUEST, TYPE_RESPONSE } from "./constants.ts";
import { crc32 } from "./crc32.ts";
import { readHeaderMap } from "./header-map-codec.ts";
import { type BoltLayout, CRC_LENGTH, hasCrc, headLength, ID_LENGTH, lengthsAt } from "./layout.ts";
import { httpStatusOf } from "./status.ts";

/**
 * Decodes one whole Bolt frame (`frameLength` checked the protocol code, the type and the total
 * length). The header view holds the frame's header map as sent, plus `:service` (the `service`
 * entry SOFARPC clients write, "interface:version") and `:rpc-method` (`sofa_head_method_name`)
 * on requests and `:status` on responses. A v2 frame with a CRC must match it.
 */
export function decodeBolt(layout: BoltLayout, bytes: Uint8Array): XFrame {
  const type = bytes[layout.typeAt]!;
  const cmd = (bytes[layout.cmdAt]! << 8) | bytes[layout.cmdAt + 1]!;
  const isRequest = type !== TYPE_RESPONSE;
  // Only a two-way request is answered with an error: a oneway one must never get a response,
  // and a response has no one to answer.
  const replyable = type === TYPE_REQUEST;
  if (cmd > CMD_RESPONSE) throw new XCodecError(`unknown bolt command code ${cmd}`, replyable);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (layout.switchAt >= 0 && hasCrc(layout, bytes[layout.switchAt]!)) {
    const end = bytes.length - CRC_LENGTH;
    if (crc32(bytes, 0, end) !== view.getUint32(end)) throw new XCodecError("bolt v2 frame fails its CRC32", replyable);
  }
  const at = lengthsAt(layout, type);
  const classLen = view.getUint16(at);
  const headerLen = view.getUint16(at + 2);
  const status = isRequest ? -1 : view.getUint16(layout.fieldAt);
  const timeout = isRequest ? view.getInt32(layout.fieldAt) : 0;
  const frame = new XFrame({
    protocol: layout.name,
    bytes,
    isRequest,
    oneway: type === TYPE_ONEWAY,
    heartbeat: cmd === CMD_HEARTBEAT,
    idOffset: layout.idAt,
    idLength: ID_LENGTH,
    status,
    timeoutMs: timeout > 0 ? timeout : 0,
  });
  const headerStart = headLength(layout, type) + classLen;
  readHeaderMap(bytes, headerStart, headerStart + headerLen, frame, replyable);
  if (isRequest) {
    const service = frame.get("service");
    if (service !== undefined) frame.init(":service", service);
    const method = frame.get("sofa_head_method_name");
    if (method !== undefined) frame.init(":rpc-method", method);
  } else {
    frame.init(":status", String(httpStatusOf(status)));
  }
  return frame;
}

/** The class name a frame carries ("com.alipay.sofa.rpc.core.request.SofaRequest"), for logs and tests. */
export function boltClassName(layout: BoltLayout, bytes: Uint8Array): string {
  const type = bytes[layout.typeAt]!;
  const at = lengthsAt(layout, type);
  const classLen = (bytes[at]! << 8) | bytes[at + 1]!;
  const head = headLength(layout, type);
  return utf8(bytes, head, head + classLen);
}
