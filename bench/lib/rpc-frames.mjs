// RPC frames for the rpc scenario, written by hand: SOFARPC Bolt (v1) and Dubbo, with the few
// hessian2 values their bodies need. Shared by bench/rpc-loadgen.mjs and bench/rpc-upstream.mjs
// (plain node, no dependency), so both read frames the same way.
//
// Bolt v1 (sofa-bolt RpcProtocol), big-endian:
//   request  (22-byte header): proto 0x01, type u8 (1 request, 2 oneway), cmdcode u16 (1 request,
//            0 heartbeat), ver2 u8, id u32 @5, codec u8, timeout u32, class len u16 @14,
//            header len u16 @16, content len u32 @18, then class, header, content
//   response (20-byte header): proto 0x01, type 0, cmdcode u16 (2 response, 0 heartbeat), ver2,
//            id u32 @5, codec, status u16 @10 (0: success), class len u16 @12, header len @14,
//            content len u32 @16
//   The header map is repeated (u32 key length, key, u32 value length, value).
// Dubbo: magic 0xdabb, flag u8 (0x80 request, 0x40 two-way, 0x20 event, low 5 bits the
//   serialization: 2 = hessian2), status u8 @3 (responses: 20 OK), id u64 @4, body length u32 @12.

export const BOLT_PROTO = 0x01;
export const BOLT_REQUEST_HEADER = 22;
export const BOLT_RESPONSE_HEADER = 20;
export const BOLT_TYPE_RESPONSE = 0;
export const BOLT_TYPE_REQUEST = 1;
export const BOLT_TYPE_ONEWAY = 2;
export const BOLT_CMD_HEARTBEAT = 0;
export const BOLT_CMD_REQUEST = 1;
export const BOLT_CMD_RESPONSE = 2;
export const BOLT_CODEC_HESSIAN2 = 1;

export const DUBBO_HEADER = 16;
export const DUBBO_FLAG_REQUEST = 0x80;
export const DUBBO_FLAG_TWOWAY = 0x40;
export const DUBBO_FLAG_EVENT = 0x20;
export const DUBBO_HESSIAN2 = 2;
export const DUBBO_OK = 20;
/** hessian2 int 1: RESPONSE_VALUE, the first value of a Dubbo response body that carries a value. */
export const DUBBO_RESPONSE_VALUE = 0x91;

const TWO_32 = 2 ** 32;

/**
 * A hessian2 string: up to 31 characters, one length byte (0x00-0x1f); up to 1023, two bytes
 * (0x30-0x33 and the low byte). The length counts UTF-16 units, the bytes are UTF-8.
 */
export function hessianString(s) {
  const utf8 = Buffer.from(s, "utf8");
  if (s.length < 32) return Buffer.concat([Buffer.from([s.length]), utf8]);
  if (s.length < 1024) return Buffer.concat([Buffer.from([0x30 + (s.length >> 8), s.length & 0xff]), utf8]);
  throw new RangeError(`hessianString: ${s.length} characters; only strings under 1024 are written here`);
}

/** A hessian2 untyped map ('H' key value ... 'Z') of string keys and string values. */
export function hessianStringMap(entries) {
  return Buffer.concat([
    Buffer.from("H"),
    ...Object.entries(entries).flatMap(([k, v]) => [hessianString(k), hessianString(v)]),
    Buffer.from("Z"),
  ]);
}

/** Bolt's header map: each key and value as a u32 length and its UTF-8 bytes. */
export function boltHeaderMap(entries) {
  const parts = [];
  for (const [k, v] of Object.entries(entries)) {
    for (const s of [k, v]) {
      const b = Buffer.from(s, "utf8");
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export const BOLT_REQUEST_CLASS = "com.alipay.sofa.rpc.core.request.SofaRequest";
export const BOLT_RESPONSE_CLASS = "com.alipay.sofa.rpc.core.response.SofaResponse";
export const BOLT_SERVICE = "com.alipay.test.TestService:1.0";

/** A Bolt v1 request (or heartbeat, cmdcode 0, with no class, header or content). */
export function boltRequest({
  id = 0,
  type = BOLT_TYPE_REQUEST,
  cmdcode = BOLT_CMD_REQUEST,
  timeoutMs = 3000,
  className = BOLT_REQUEST_CLASS,
  header = { service: BOLT_SERVICE, sofa_head_method_name: "echo" },
  content = Buffer.alloc(100, 0x61),
} = {}) {
  const cls = Buffer.from(className, "latin1");
  const hdr = boltHeaderMap(header);
  const h = Buffer.alloc(BOLT_REQUEST_HEADER);
  h[0] = BOLT_PROTO;
  h[1] = type;
  h.writeUInt16BE(cmdcode, 2);
  h[4] = 1; // ver2
  h.writeUInt32BE(id >>> 0, 5);
  h[9] = BOLT_CODEC_HESSIAN2;
  h.writeUInt32BE(timeoutMs, 10);
  h.writeUInt16BE(cls.length, 14);
  h.writeUInt16BE(hdr.length, 16);
  h.writeUInt32BE(content.length, 18);
  return Buffer.concat([h, cls, hdr, content]);
}

/** A Bolt heartbeat request: cmdcode 0, nothing after the header. */
export function boltHeartbeat(id = 0) {
  return boltRequest({ id, cmdcode: BOLT_CMD_HEARTBEAT, className: "", header: {}, content: Buffer.alloc(0) });
}

/** A Bolt v1 response (or heartbeat ack: cmdcode 0, no class, header or content). */
export function boltResponse({
  id = 0,
  cmdcode = BOLT_CMD_RESPONSE,
  status = 0,
  className = BOLT_RESPONSE_CLASS,
  header = {},
  content = Buffer.alloc(100, 0x62),
} = {}) {
  const cls = Buffer.from(className, "latin1");
  const hdr = boltHeaderMap(header);
  const h = Buffer.alloc(BOLT_RESPONSE_HEADER);
  h[0] = BOLT_PROTO;
  h[1] = BOLT_TYPE_RESPONSE;
  h.writeUInt16BE(cmdcode, 2);
  h[4] = 1;
  h.writeUInt32BE(id >>> 0, 5);
  h[9] = BOLT_CODEC_HESSIAN2;
  h.writeUInt16BE(status, 10);
  h.writeUInt16BE(cls.length, 12);
  h.writeUInt16BE(hdr.length, 14);
  h.writeUInt32BE(content.length, 16);
  return Buffer.concat([h, cls, hdr, content]);
}

export function boltHeartbeatResponse(id = 0) {
  return boltResponse({ id, cmdcode: BOLT_CMD_HEARTBEAT, className: "", content: Buffer.alloc(0) });
}

function dubboFrame(flag, status, id, body) {
  const h = Buffer.alloc(DUBBO_HEADER);
  h[0] = 0xda;
  h[1] = 0xbb;
  h[2] = flag;
  h[3] = status;
  dubbo.writeId(h, 0, id);
  h.writeUInt32BE(body.length, 12);
  return Buffer.concat([h, body]);
}

export const DUBBO_SERVICE = "com.alipay.test.TestService";

/**
 * A Dubbo two-way request in hessian2: dubbo version, service path, service version, method,
 * parameter descriptor, the argument, then the attachments map.
 */
export function dubboRequest({
  id = 0,
  service = DUBBO_SERVICE,
  version = "1.0.0",
  method = "sayHello",
  argument = "hello, isthmus bench",
} = {}) {
  const body = Buffer.concat([
    hessianString("2.0.2"),
    hessianString(service),
    hessianString(version),
    hessianString(method),
    hessianString("Ljava/lang/String;"),
    hessianString(argument),
    hessianStringMap({ path: service, interface: service, version }),
  ]);
  return dubboFrame(DUBBO_FLAG_REQUEST | DUBBO_FLAG_TWOWAY | DUBBO_HESSIAN2, 0, id, body);
}

/** A Dubbo heartbeat: a two-way event request whose body is hessian2 null ('N'). */
export function dubboHeartbeat(id = 0) {
  return dubboFrame(
    DUBBO_FLAG_REQUEST | DUBBO_FLAG_TWOWAY | DUBBO_FLAG_EVENT | DUBBO_HESSIAN2,
    0,
    id,
    Buffer.from("N"),
  );
}

/** A Dubbo response carrying a string value (RESPONSE_VALUE, then the string). */
export function dubboResponse({ id = 0, status = DUBBO_OK, value = "hello, world" } = {}) {
  return dubboFrame(
    DUBBO_HESSIAN2,
    status,
    id,
    Buffer.concat([Buffer.from([DUBBO_RESPONSE_VALUE]), hessianString(value)]),
  );
}

/** The answer to a heartbeat: an event response with a null body. */
export function dubboHeartbeatResponse(id = 0) {
  return dubboFrame(DUBBO_FLAG_EVENT | DUBBO_HESSIAN2, DUBBO_OK, id, Buffer.from("N"));
}

// The two codecs, as the tools need them. frameLength(buf, off, avail) is the whole frame's length
// once its header is there, 0 while more bytes are needed, -1 when the bytes are not this protocol.

export const bolt = {
  name: "bolt",
  frameLength(b, o, n) {
    if (n < 2) return 0;
    if (b[o] !== BOLT_PROTO) return -1;
    const type = b[o + 1];
    if (type === BOLT_TYPE_RESPONSE) {
      if (n < BOLT_RESPONSE_HEADER) return 0;
      return BOLT_RESPONSE_HEADER + b.readUInt16BE(o + 12) + b.readUInt16BE(o + 14) + b.readUInt32BE(o + 16);
    }
    if (type === BOLT_TYPE_REQUEST || type === BOLT_TYPE_ONEWAY) {
      if (n < BOLT_REQUEST_HEADER) return 0;
      return BOLT_REQUEST_HEADER + b.readUInt16BE(o + 14) + b.readUInt16BE(o + 16) + b.readUInt32BE(o + 18);
    }
    return -1;
  },
  readId: (b, o) => b.readUInt32BE(o + 5),
  writeId(b, o, id) {
    b.writeUInt32BE(id >>> 0, o + 5);
  },
  /** Ids are u32. */
  idSpan: TWO_32,
  isRequest: (b, o) => b[o + 1] !== BOLT_TYPE_RESPONSE,
  /** A request that wants an answer (not oneway). */
  isTwoWay: (b, o) => b[o + 1] === BOLT_TYPE_REQUEST,
  isHeartbeat: (b, o) => b.readUInt16BE(o + 2) === BOLT_CMD_HEARTBEAT,
  /** A response's status is success. */
  isOk: (b, o) => b.readUInt16BE(o + 10) === 0,
  request: boltRequest,
  response: boltResponse,
  heartbeat: boltHeartbeat,
  heartbeatResponse: boltHeartbeatResponse,
};

export const dubbo = {
  name: "dubbo",
  frameLength(b, o, n) {
    if (n < 2) return 0;
    if (b[o] !== 0xda || b[o + 1] !== 0xbb) return -1;
    if (n < DUBBO_HEADER) return 0;
    return DUBBO_HEADER + b.readUInt32BE(o + 12);
  },
  /** The u64 id as a number (exact below 2^53, which is all the bench uses). */
  readId: (b, o) => b.readUInt32BE(o + 4) * TWO_32 + b.readUInt32BE(o + 8),
  writeId(b, o, id) {
    b.writeUInt32BE(Math.floor(id / TWO_32) >>> 0, o + 4);
    b.writeUInt32BE(id % TWO_32, o + 8);
  },
  idSpan: 2 ** 53,
  isRequest: (b, o) => (b[o + 2] & DUBBO_FLAG_REQUEST) !== 0,
  isTwoWay: (b, o) => (b[o + 2] & DUBBO_FLAG_TWOWAY) !== 0,
  isHeartbeat: (b, o) => (b[o + 2] & DUBBO_FLAG_EVENT) !== 0,
  isOk: (b, o) => b[o + 3] === DUBBO_OK,
  request: dubboRequest,
  response: dubboResponse,
  heartbeat: dubboHeartbeat,
  heartbeatResponse: dubboHeartbeatResponse,
};

export const CODECS = { bolt, dubbo };

/** The codec named `name` ("bolt" or "dubbo"); throws on any other. */
export function codecFor(name) {
  const c = CODECS[name];
  if (!c) throw new Error(`unknown RPC protocol "${name}" (expected ${Object.keys(CODECS).join(" or ")})`);
  return c;
}

/**
 * Cuts a byte stream into frames by their length. feed(chunk) calls onFrame(buf, off, len) for
 * every whole frame, in order, with no copy when frames lie within one chunk; only a frame split
 * across chunks is copied, once. Returns false (and stops) when the bytes are not the protocol.
 */
export class FrameSplitter {
  constructor(codec, onFrame) {
    this.codec = codec;
    this.onFrame = onFrame;
    this.rest = null; // bytes of an incomplete frame from earlier chunks
  }

  feed(chunk) {
    let buf = chunk;
    if (this.rest !== null) {
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    const codec = this.codec;
    const end = buf.length;
    let off = 0;
    while (off < end) {
      const len = codec.frameLength(buf, off, end - off);
      if (len < 0) return false;
      if (len === 0 || off + len > end) break;
      this.onFrame(buf, off, len);
      off += len;
    }
    if (off < end) this.rest = buf.subarray(off);
    return true;
  }

  /** Bytes held for an incomplete frame. */
  get pending() {
    return this.rest === null ? 0 : this.rest.length;
  }
}
