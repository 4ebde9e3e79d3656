// Dubbo 2.x exchange frames (the "dubbo" protocol of Dubbo 2.7) over hessian2, built on
// hessian.js: written here, not a Dubbo library. Used by dubbo-provider.mjs, the side that no
// npm package offers without a registry.
//
// Header, 16 bytes:
//   0-1  magic 0xdabb
//   2    flags: 0x80 request | 0x40 two-way | 0x20 event | serialization id (2 = hessian2)
//   3    status (responses): 20 OK, 30 client timeout, 31 server timeout, 40 bad request,
//        50 bad response, 60 service not found, 70 service error, 80 server error, 90 client error
//   4-11 request id (big-endian 64 bits; kept as its 8 bytes here)
//   12-15 body length (big-endian)
// Request body (DecodeableRpcInvocation): dubbo version, service path, service version, method
// name, parameter descriptor (JVM style: "Ljava/lang/String;I"), the arguments, attachments map.
// Response body with status 20: a flag int then the value: 0 exception, 1 value, 2 null;
// 3, 4, 5 the same followed by an attachments map (sent when the request's dubbo version is
// 2.0.2 or later). Any other status: the body is one hessian2 string, the error message.
// Event frames (heartbeats) carry a hessian2 null ('N') as body; the reply to one is an event
// response with the same id.
import hessian from "hessian.js";

export const MAGIC = 0xdabb;
export const HEADER = 16;
export const FLAG_REQUEST = 0x80;
export const FLAG_TWOWAY = 0x40;
export const FLAG_EVENT = 0x20;
export const HESSIAN2 = 2;
export const STATUS = {
  OK: 20,
  CLIENT_TIMEOUT: 30,
  SERVER_TIMEOUT: 31,
  BAD_REQUEST: 40,
  BAD_RESPONSE: 50,
  SERVICE_NOT_FOUND: 60,
  SERVICE_ERROR: 70,
  SERVER_ERROR: 80,
  CLIENT_ERROR: 90,
};
export const RESULT = {
  EXCEPTION: 0,
  VALUE: 1,
  NULL: 2,
  EXCEPTION_WITH_ATTACHMENTS: 3,
  VALUE_WITH_ATTACHMENTS: 4,
  NULL_WITH_ATTACHMENTS: 5,
};
/** What Dubbo 2.7 puts in a response's "dubbo" attachment. */
export const PROTOCOL_VERSION = "2.0.2";

/**
 * Cuts whole frames off the front of `buf`: returns { frames, rest }, each frame
 * { flags, status, id (8-byte Buffer), body }; throws on a bad magic.
 */
export function splitFrames(buf) {
  const frames = [];
  let off = 0;
  while (buf.length - off >= HEADER) {
    if (buf.readUInt16BE(off) !== MAGIC) throw new Error(`bad magic 0x${buf.readUInt16BE(off).toString(16)}`);
    const len = buf.readUInt32BE(off + 12);
    if (buf.length - off < HEADER + len) break;
    frames.push({
      flags: buf[off + 2],
      status: buf[off + 3],
      id: Buffer.from(buf.subarray(off + 4, off + 12)),
      body: buf.subarray(off + HEADER, off + HEADER + len),
    });
    off += HEADER + len;
  }
  return { frames, rest: buf.subarray(off) };
}

export function frame(flags, status, id, body) {
  const head = Buffer.alloc(HEADER);
  head.writeUInt16BE(MAGIC, 0);
  head[2] = flags;
  head[3] = status;
  id.copy(head, 4, 0, 8);
  head.writeUInt32BE(body.length, 12);
  return Buffer.concat([head, body]);
}

function hessianBody(write) {
  const enc = new hessian.EncoderV2();
  write(enc);
  return enc.get();
}

/** Hessian2 null: the body of a heartbeat and of its reply. */
export const NULL_BODY = Buffer.from([0x4e]);

/** The number of parameters in a JVM descriptor such as "Ljava/lang/String;I[J". */
export function paramCount(desc) {
  let n = 0;
  for (let i = 0; i < desc.length; i++) {
    while (desc[i] === "[") i++;
    if (desc[i] === "L") i = desc.indexOf(";", i);
    if (i < 0) throw new Error(`bad parameter descriptor ${desc}`);
    n++;
  }
  return n;
}

/** The invocation in a request body. */
export function decodeInvocation(body) {
  const dec = new hessian.DecoderV2(body);
  const dubboVersion = dec.read();
  const path = dec.read();
  const version = dec.read();
  const method = dec.read();
  const desc = dec.read() ?? "";
  const args = [];
  for (let i = paramCount(desc); i > 0; i--) args.push(dec.read());
  const attachments = dec.byteBuffer.position() < body.length ? (dec.read() ?? {}) : {};
  return { dubboVersion, path, version, method, desc, args, attachments };
}

/** A response frame with status 20 and a value, null or exception (`error`). */
export function okResponse(id, { value, error, attachments }) {
  const body = hessianBody((enc) => {
    const withAtt = attachments !== undefined;
    if (error !== undefined) {
      enc.writeInt(withAtt ? RESULT.EXCEPTION_WITH_ATTACHMENTS : RESULT.EXCEPTION);
      enc.write({ $class: "java.lang.RuntimeException", $: { detailMessage: String(error) } });
    } else if (value === null || value === undefined) {
      enc.writeInt(withAtt ? RESULT.NULL_WITH_ATTACHMENTS : RESULT.NULL);
    } else {
      enc.writeInt(withAtt ? RESULT.VALUE_WITH_ATTACHMENTS : RESULT.VALUE);
      enc.write(value);
    }
    if (withAtt) enc.write({ $class: "java.util.HashMap", $: attachments });
  });
  return frame(HESSIAN2, STATUS.OK, id, body);
}

/** A response frame with a non-OK status: the body is the error message as a hessian2 string. */
export function errorResponse(id, status, message) {
  return frame(HESSIAN2, status, id, hessianBody((enc) => enc.writeString(message)));
}

/** A request frame (what a consumer sends), for tests that write Dubbo by hand. */
export function requestFrame(id, inv, { twoway = true } = {}) {
  const body = hessianBody((enc) => {
    enc.writeString(inv.dubboVersion ?? PROTOCOL_VERSION);
    enc.writeString(inv.path);
    enc.writeString(inv.version ?? "0.0.0");
    enc.writeString(inv.method);
    enc.writeString(inv.desc ?? "");
    for (const a of inv.args ?? []) enc.write(a);
    enc.write({ $class: "java.util.HashMap", $: inv.attachments ?? {} });
  });
  return frame(FLAG_REQUEST | (twoway ? FLAG_TWOWAY : 0) | HESSIAN2, 0, id, body);
}

/** A heartbeat request (event, two-way) or its reply. */
export function heartbeatFrame(id, reply = false) {
  return frame(
    reply ? FLAG_EVENT | HESSIAN2 : FLAG_REQUEST | FLAG_TWOWAY | FLAG_EVENT | HESSIAN2,
    reply ? 20 : 0,
    id,
    NULL_BODY,
  );
}

/** An 8-byte id Buffer from a number. */
export function idBytes(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
