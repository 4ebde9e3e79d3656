import { XCodecError } from "../xprotocol/codec-error.ts";
import { XFrame } from "../xprotocol/frame.ts";
import { utf8 } from "../xprotocol/utf8.ts";
import {
  CMD_HEARTBEAT,
  CMD_RESPONSE,
  ID_LENGTH,
  ID_OFFSET,
  REQUEST_HEADER_LEN,
  RESPONSE_HEADER_LEN,
  TYPE_ONEWAY,
  TYPE_REQUEST,
  TYPE_RESPONSE,
} from "./constants.ts";
import { readHeaderMap } from "./header-map-codec.ts";
import { httpStatusOf } from "./status.ts";

/** The fixed-header offsets of the class, header and content lengths, by command type. */
function lengthsAt(type: number): number {
  return type === TYPE_RESPONSE ? 12 : 14;
}

export function fixedHeaderLength(type: number): number {
  return type === TYPE_RESPONSE ? RESPONSE_HEADER_LEN : REQUEST_HEADER_LEN;
}

/**
 * Decodes one whole Bolt v1 frame (`frameLength` checked the protocol byte, the type and the
 * total length). The header view holds the frame's header map as sent, plus `:service` (the
 * `service` entry SOFARPC clients write, "interface:version") and `:rpc-method`
 * (`sofa_head_method_name`) on requests and `:status` on responses.
 */
export function decodeBolt(bytes: Uint8Array): XFrame {
  const type = bytes[1]!;
  const cmd = (bytes[2]! << 8) | bytes[3]!;
  const isRequest = type !== TYPE_RESPONSE;
  // Only a two-way request is answered with an error: a oneway one must never get a response,
  // and a response has no one to answer.
  const replyable = type === TYPE_REQUEST;
  if (cmd > CMD_RESPONSE) throw new XCodecError(`unknown bolt command code ${cmd}`, replyable);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = lengthsAt(type);
  const classLen = view.getUint16(at);
  const headerLen = view.getUint16(at + 2);
  const head = fixedHeaderLength(type);
  const status = isRequest ? -1 : view.getUint16(10);
  const timeout = isRequest ? view.getInt32(10) : 0;
  const frame = new XFrame({
    protocol: "bolt",
    bytes,
    isRequest,
    oneway: type === TYPE_ONEWAY,
    heartbeat: cmd === CMD_HEARTBEAT,
    idOffset: ID_OFFSET,
    idLength: ID_LENGTH,
    status,
    timeoutMs: timeout > 0 ? timeout : 0,
  });
  const headerStart = head + classLen;
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
export function boltClassName(bytes: Uint8Array): string {
  const type = bytes[1]!;
  const at = lengthsAt(type);
  const classLen = (bytes[at]! << 8) | bytes[at + 1]!;
  const head = fixedHeaderLength(type);
  return utf8(bytes, head, head + classLen);
}

export { lengthsAt };
