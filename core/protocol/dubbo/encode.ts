import type { XFrame } from "../xprotocol/frame.ts";
import { DubboRequest } from "./dubbo-frame.ts";
import { HEADER_BYTES, writeLength } from "./frame-header.ts";
import { END, MAP_UNTYPED } from "./hessian2-codes.ts";
import { stringBytes, writeString } from "./hessian2-writer.ts";

/**
 * The bytes to send for `frame`. A clean frame is its own bytes. A request whose headers changed
 * gets a new body: the bytes up to its attachments as they came (arguments are never
 * re-encoded), then the attachments map rebuilt from the header view, then whatever followed the
 * map. Responses and events carry no headers in their bodies, so their bytes stand as they are.
 *
 * The rebuilt map keeps its head (an 'M' map keeps its type; a null or absent map becomes 'H'),
 * then the entries the view does not hold (non-string keys or values), copied as they were and
 * in their order, so class definitions and back-references inside them keep their numbers
 * (Hessian numbers both over the whole stream); then one entry per header name, first value,
 * spelling as it came, skipping pseudo-keys (':') and the names decode derived from the body.
 * Raw entries come first so that a header set over one (a key whose value was not a string)
 * wins: Java's HashMap, like any Hessian map reader, keeps the last value of a repeated key.
 */
export function encode(frame: XFrame): Uint8Array {
  if (!frame.dirty || !(frame instanceof DubboRequest)) return frame.bytes;
  const bytes = frame.bytes;
  const { keepEnd, hasHead, end, raw } = frame.attachments;

  let size = keepEnd + (hasHead ? 0 : 1) + 1 + (bytes.length - end);
  if (raw !== null) { for (let i = 0; i < raw.length; i += 2) size += raw[i + 1]! - raw[i]!; }
  for (let i = 0; i < frame.size; i++) {
    if (writes(frame, i)) size += stringBytes(frame.spellingAt(i)) + stringBytes(frame.valueAt(i));
  }

  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, keepEnd));
  let at = keepEnd;
  if (!hasHead) out[at++] = MAP_UNTYPED;
  if (raw !== null) {
    for (let i = 0; i < raw.length; i += 2) {
      out.set(bytes.subarray(raw[i]!, raw[i + 1]!), at);
      at += raw[i + 1]! - raw[i]!;
    }
  }
  for (let i = 0; i < frame.size; i++) {
    if (!writes(frame, i)) continue;
    at = writeString(out, at, frame.spellingAt(i));
    at = writeString(out, at, frame.valueAt(i));
  }
  out[at++] = END;
  out.set(bytes.subarray(end), at);
  writeLength(out, size - HEADER_BYTES);
  return out;
}

/** Whether the view's i-th entry is an attachment to write: not a pseudo-key, not derived, the first of its name. */
function writes(frame: DubboRequest, i: number): boolean {
  const name = frame.nameAt(i);
  if (name.charCodeAt(0) === 0x3a || frame.isDerived(name)) return false;
  for (let j = 0; j < i; j++) if (frame.nameAt(j) === name) return false;
  return true;
}
