// Shared by the Bolt and xprotocol stream tests: Bolt v1 frames built field by field, as
// sofa-bolt's RpcCommandEncoder writes them, and read back the same way.
import {
  CMD_REQUEST,
  CMD_RESPONSE,
  HESSIAN2,
  PROTOCOL_V1,
  TYPE_ONEWAY,
  TYPE_REQUEST,
  TYPE_RESPONSE,
} from "./constants.ts";

/** A header map entry; a null key or value is written with length -1 (sofa-bolt's null). */
export type HeaderEntry = [string | null, string | null];

export const SOFA_REQUEST = "com.alipay.sofa.rpc.core.request.SofaRequest";
export const SOFA_RESPONSE = "com.alipay.sofa.rpc.core.response.SofaResponse";

const enc = new TextEncoder();

/** sofa-bolt's SimpleMapSerializer: per entry a 4-byte length and UTF-8 bytes, key then value. */
export function headerMapBytes(entries: HeaderEntry[]): Uint8Array {
  const parts: Array<Uint8Array | null> = [];
  let size = 0;
  for (const [k, v] of entries) {
    for (const s of [k, v]) {
      const b = s === null ? null : enc.encode(s);
      parts.push(b);
      size += 4 + (b?.length ?? 0);
    }
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setInt32(at, p === null ? -1 : p.length);
    if (p) out.set(p, at + 4);
    at += 4 + (p?.length ?? 0);
  }
  return out;
}

export interface BoltRequest {
  id?: number;
  oneway?: boolean;
  /** The command code: 1 (request) unless given; 0 for a heartbeat. */
  cmd?: number;
  timeout?: number;
  className?: string;
  headers?: HeaderEntry[];
  /** Raw header map bytes, instead of `headers`. */
  headerBytes?: Uint8Array;
  content?: Uint8Array;
}

/** A Bolt v1 request (type 1, or 2 when oneway). */
export function boltRequest(r: BoltRequest = {}): Uint8Array {
  const cls = enc.encode(r.className ?? SOFA_REQUEST);
  const header = r.headerBytes ?? headerMapBytes(r.headers ?? [["service", "com.example.Echo:1.0"]]);
  const content = r.content ?? enc.encode("content");
  const out = new Uint8Array(22 + cls.length + header.length + content.length);
  const v = new DataView(out.buffer);
  out[0] = PROTOCOL_V1;
  out[1] = r.oneway ? TYPE_ONEWAY : TYPE_REQUEST;
  v.setUint16(2, r.cmd ?? CMD_REQUEST);
  out[4] = 1;
  v.setUint32(5, r.id ?? 1);
  out[9] = HESSIAN2;
  v.setInt32(10, r.timeout ?? 3000);
  v.setUint16(14, cls.length);
  v.setUint16(16, header.length);
  v.setUint32(18, content.length);
  out.set(cls, 22);
  out.set(header, 22 + cls.length);
  out.set(content, 22 + cls.length + header.length);
  return out;
}

export interface BoltResponse {
  id?: number;
  cmd?: number;
  status?: number;
  className?: string;
  headers?: HeaderEntry[];
  headerBytes?: Uint8Array;
  content?: Uint8Array;
}

/** A Bolt v1 response (type 0). */
export function boltResponse(r: BoltResponse = {}): Uint8Array {
  const cls = enc.encode(r.className ?? SOFA_RESPONSE);
  const header = r.headerBytes ?? headerMapBytes(r.headers ?? []);
  const content = r.content ?? enc.encode("reply");
  const out = new Uint8Array(20 + cls.length + header.length + content.length);
  const v = new DataView(out.buffer);
  out[0] = PROTOCOL_V1;
  out[1] = TYPE_RESPONSE;
  v.setUint16(2, r.cmd ?? CMD_RESPONSE);
  out[4] = 1;
  v.setUint32(5, r.id ?? 1);
  out[9] = HESSIAN2;
  v.setUint16(10, r.status ?? 0);
  v.setUint16(12, cls.length);
  v.setUint16(14, header.length);
  v.setUint32(16, content.length);
  out.set(cls, 20);
  out.set(header, 20 + cls.length);
  out.set(content, 20 + cls.length + header.length);
  return out;
}

/** The parts of a Bolt frame, by its type's fixed header. */
export function boltParts(bytes: Uint8Array): {
  type: number;
  cmd: number;
  id: number;
  status: number;
  timeout: number;
  className: Uint8Array;
  header: Uint8Array;
  content: Uint8Array;
} {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = bytes[1]!;
  const head = type === TYPE_RESPONSE ? 20 : 22;
  const at = type === TYPE_RESPONSE ? 12 : 14;
  const cl = v.getUint16(at), hl = v.getUint16(at + 2), bl = v.getUint32(at + 4);
  return {
    type,
    cmd: v.getUint16(2),
    id: v.getUint32(5),
    status: type === TYPE_RESPONSE ? v.getUint16(10) : -1,
    timeout: type === TYPE_RESPONSE ? 0 : v.getInt32(10),
    className: bytes.subarray(head, head + cl),
    header: bytes.subarray(head + cl, head + cl + hl),
    content: bytes.subarray(head + cl + hl, head + cl + hl + bl),
  };
}

/** The id of a Bolt frame. */
export const boltId = (bytes: Uint8Array): number => boltParts(bytes).id;
