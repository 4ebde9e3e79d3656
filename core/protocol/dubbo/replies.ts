import { writeId, type XFrame } from "../xprotocol/frame.ts";
import {
  FLAG_EVENT,
  FLAG_OFFSET,
  FLAG_REQUEST,
  FLAG_TWO_WAY,
  HEADER_BYTES,
  HESSIAN2,
  ID_BYTES,
  ID_OFFSET,
  SERIALIZATION_MASK,
  writeHeader,
} from "./frame-header.ts";
import { NULL } from "./hessian2-codes.ts";
import { stringBytes, writeString } from "./hessian2-writer.ts";
import { dubboStatusOf, OK } from "./status.ts";

// The frames the proxy writes itself. Each body is Hessian 2.0, so each flag says serialization 2.

/**
 * A heartbeat request: a two-way event whose data is null, as Dubbo's HeartbeatTimerTask sends
 * (Request.setEvent(HEARTBEAT_EVENT), where HEARTBEAT_EVENT is null).
 */
export function heartbeat(id: number): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + 1);
  writeHeader(out, FLAG_REQUEST | FLAG_TWO_WAY | FLAG_EVENT | HESSIAN2, 0, 1);
  writeId(out, ID_OFFSET, ID_BYTES, id);
  out[HEADER_BYTES] = NULL;
  return out;
}

/**
 * The answer to a heartbeat (Dubbo's HeartbeatHandler): an event response, status OK, null body,
 * the request's id and serialization (a heartbeat decodes only with Hessian 2.0).
 */
export function heartbeatReply(request: XFrame): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + 1);
  writeHeader(out, FLAG_EVENT | (request.bytes[FLAG_OFFSET]! & SERIALIZATION_MASK), OK, 1);
  out.set(request.bytes.subarray(ID_OFFSET, ID_OFFSET + ID_BYTES), ID_OFFSET);
  out[HEADER_BYTES] = NULL;
  return out;
}

/**
 * A response with a non-OK status for the request in `requestBytes`: its id, the status mapped
 * from HTTP (status.ts), and `message` as a Hessian 2.0 string, which is what a Dubbo client
 * reads as the error message of a non-OK response (DubboCodec.decodeBody: `readUTF()`). The flag
 * says Hessian 2.0 even for a request in another serialization, because that is what the body
 * is; Dubbo clients decode a response by its own flag. As MOSN's Hijack, the flag has neither the
 * two-way nor the event bit.
 */
export function errorResponse(requestBytes: Uint8Array, status: number, message: string): Uint8Array {
  const bodyLength = stringBytes(message);
  const out = new Uint8Array(HEADER_BYTES + bodyLength);
  writeHeader(out, HESSIAN2, dubboStatusOf(status), bodyLength);
  out.set(requestBytes.subarray(ID_OFFSET, ID_OFFSET + ID_BYTES), ID_OFFSET);
  writeString(out, HEADER_BYTES, message);
  return out;
}
