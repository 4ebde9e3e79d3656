import { XCodecError } from "../xprotocol/codec-error.ts";
import { XFrame } from "../xprotocol/frame.ts";
import { countArguments } from "./descriptor.ts";
import { DERIVED_NAMES, DubboRequest } from "./dubbo-frame.ts";
import {
  FLAG_EVENT,
  FLAG_OFFSET,
  FLAG_REQUEST,
  FLAG_TWO_WAY,
  HEADER_BYTES,
  HESSIAN2,
  ID_BYTES,
  ID_OFFSET,
  LENGTH_OFFSET,
  MAGIC_HIGH,
  MAGIC_LOW,
  SERIALIZATION_MASK,
  STATUS_OFFSET,
} from "./frame-header.ts";
import { NULL } from "./hessian2-codes.ts";
import { Hessian2Error, Hessian2Reader } from "./hessian2-reader.ts";
import { httpStatusOf } from "./status.ts";

export const PROTOCOL = "dubbo";

// decode is synchronous and not reentrant: one reader and one scratch list serve every frame.
const reader = new Hessian2Reader();
/** The string attachments of the request being decoded, key then value. */
const pairs: string[] = [];

/**
 * Decodes one whole frame. Requests are read in one pass over the body up to the end of their
 * attachments; responses and events are not read at all (their bodies are forwarded as they
 * are). Header view of a request, filled with `init`:
 *
 * - `dubbo`, `service`, `method`, `version`: the framework version, the service (the attachments'
 *   `interface` when present, else the body's path, as MOSN's getServiceAwareMeta does), the
 *   method and the service version (the body's; "" when null) — unless an attachment carries the
 *   same name, which then stands for itself;
 * - every attachment whose key and value are strings (`group`, `interface`, `path`, `timeout`...),
 *   under its own spelling;
 * - `:service` and `:rpc-method`.
 *
 * Its `timeoutMs` is its `timeout` attachment, the consumer's timeout, which the proxy uses when
 * the route sets none (MOSN's Dubbo frame reports no timeout and falls back to its global one).
 *
 * A response holds `:status`, its status as HTTP (status.ts). Events hold nothing: a heartbeat is
 * an event whose body is Hessian null (Dubbo's HeartbeatHandler: `isEvent() && data == null`);
 * other events (the readonly event "R" a closing server sends) decode with `heartbeat` false and
 * no service, which no route matches (MOSN takes every event for a heartbeat, and would answer a
 * readonly event, which wants no answer). An event response is always a heartbeat's answer, as
 * Dubbo sends no other.
 */
export function decode(bytes: Uint8Array): XFrame {
  if (bytes.length < HEADER_BYTES || bytes[0] !== MAGIC_HIGH || bytes[1] !== MAGIC_LOW) {
    throw new XCodecError("dubbo: not a frame (bad magic or short header)", false);
  }
  const bodyLength = readUint32(bytes, LENGTH_OFFSET);
  if (HEADER_BYTES + bodyLength !== bytes.length) {
    throw new XCodecError(
      `dubbo: header says ${bodyLength} body bytes, frame has ${bytes.length - HEADER_BYTES}`,
      false,
    );
  }
  const flag = bytes[FLAG_OFFSET]!;
  const event = (flag & FLAG_EVENT) !== 0;
  if ((flag & FLAG_REQUEST) === 0) {
    const status = bytes[STATUS_OFFSET]!;
    const frame = new XFrame(frameInit(bytes, false, false, event, status, 0));
    frame.init(":status", String(httpStatusOf(status)));
    return frame;
  }
  const serialization = flag & SERIALIZATION_MASK;
  const oneway = (flag & FLAG_TWO_WAY) === 0;
  // A oneway request must never get a response, not even an error.
  const replyable = !oneway;
  if (serialization !== HESSIAN2) {
    // MOSN refuses these too ("not hessian, do not support"): the body cannot be read for routing.
    throw new XCodecError(`dubbo: serialization id ${serialization} is not supported, only hessian2 (2)`, replyable);
  }
  if (event) {
    const heartbeat = bodyLength === 1 && bytes[HEADER_BYTES] === NULL;
    return new XFrame(frameInit(bytes, true, oneway, heartbeat, -1, 0));
  }
  try {
    return decodeInvocation(bytes, oneway);
  } catch (e) {
    if (e instanceof Hessian2Error) throw new XCodecError(`dubbo: bad request body: ${e.message}`, replyable);
    throw e;
  } finally {
    reader.release();
  }
}

/**
 * The body of a request (Dubbo's DubboCodec.encodeRequestData): framework version, service path,
 * service version, method name, parameter descriptor, one value per parameter, attachments map.
 */
function decodeInvocation(bytes: Uint8Array, oneway: boolean): DubboRequest {
  const r = reader;
  r.reset(bytes, HEADER_BYTES, bytes.length);
  const dubboVersion = requiredString("framework version");
  const path = requiredString("service path");
  const version = r.readString() ?? "";
  const method = requiredString("method name");
  const descriptorChars = r.readChars();
  const args = descriptorChars < 0 ? 0 : countArguments(r.charBuffer, descriptorChars);
  for (let i = 0; i < args; i++) r.skip();

  // Attachments: absent (older writers end after the arguments), null, or a map whose string
  // entries become headers and whose other entries are kept as bytes.
  const start = r.pos;
  let hasHead = false;
  let keepEnd = start;
  let raw: number[] | null = null;
  if (pairs.length !== 0) pairs.length = 0; // left by a request that failed to decode
  if (!r.atEnd) {
    hasHead = r.beginMap();
    if (hasHead) keepEnd = r.pos;
    while (hasHead && !r.takeEnd()) {
      const entry = r.pos;
      const key = r.stringNext() ? r.readString()! : null;
      if (key !== null && r.stringNext()) {
        pairs.push(key, r.readString()!);
        continue;
      }
      if (key === null) r.skip();
      r.skip();
      (raw ??= []).push(entry, r.pos);
    }
  }
  const end = r.pos;

  let service = path;
  let timeoutMs = 0;
  let attached = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    const name = pairs[i]!.toLowerCase();
    const d = (DERIVED_NAMES as readonly string[]).indexOf(name);
    if (d >= 0) attached |= 1 << d;
    if (name === "interface") service = pairs[i + 1]!;
    else if (name === "timeout") timeoutMs = parseTimeout(pairs[i + 1]!);
  }

  const frame = new DubboRequest(
    frameInit(bytes, true, oneway, false, -1, timeoutMs),
    { keepEnd, hasHead, end, raw },
    ~attached & ((1 << DERIVED_NAMES.length) - 1),
  );
  const derived = [dubboVersion, service, method, version];
  for (let d = 0; d < DERIVED_NAMES.length; d++) {
    if ((attached & (1 << d)) === 0) frame.init(DERIVED_NAMES[d], derived[d]!);
  }
  for (let i = 0; i < pairs.length; i += 2) frame.init(pairs[i]!, pairs[i + 1]!);
  frame.init(":service", service);
  frame.init(":rpc-method", method);
  pairs.length = 0;
  return frame;
}

function requiredString(what: string): string {
  const s = reader.readString();
  if (s === null) throw new Hessian2Error(`${what} is null`);
  return s;
}

/** Dubbo's `timeout` attachment, the caller's timeout in ms; 0 unless a positive decimal int. */
function parseTimeout(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) return 0;
  return Number(value);
}

function frameInit(
  bytes: Uint8Array,
  isRequest: boolean,
  oneway: boolean,
  heartbeat: boolean,
  status: number,
  timeoutMs: number,
) {
  return {
    protocol: PROTOCOL,
    bytes,
    isRequest,
    oneway,
    heartbeat,
    idOffset: ID_OFFSET,
    idLength: ID_BYTES,
    status,
    timeoutMs,
  };
}

function readUint32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
