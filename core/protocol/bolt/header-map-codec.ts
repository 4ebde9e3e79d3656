import { XCodecError } from "../xprotocol/codec-error.ts";
import type { XFrame } from "../xprotocol/frame.ts";
import { utf8, utf8Bytes } from "../xprotocol/utf8.ts";

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/**
 * Reads Bolt's header map, the bytes in [start, end): pairs of a 4-byte length and UTF-8 bytes,
 * key then value (sofa-bolt's SimpleMapSerializer; MOSN's header.DecodeHeader), into `frame`.
 * A length of 0xFFFFFFFF (-1) stands for null and is read as "".
 * A map that cannot be read throws an XCodecError, `replyable` as the caller says (a two-way
 * request only).
 */
export function readHeaderMap(
  bytes: Uint8Array,
  start: number,
  end: number,
  frame: XFrame,
  replyable: boolean,
): void {
  let at = start;
  while (at < end) {
    const key = readString(bytes, at, end, replyable);
    at = key.next;
    const value = readString(bytes, at, end, replyable);
    at = value.next;
    frame.init(key.text, value.text);
  }
}

function readString(
  bytes: Uint8Array,
  at: number,
  end: number,
  replyable: boolean,
): { text: string; next: number } {
  if (at + 4 > end) throw new XCodecError("bolt header map cut short", replyable);
  const len = u32(bytes, at);
  at += 4;
  if (len === 0xffffffff) return { text: "", next: at };
  if (len > end - at) throw new XCodecError("bolt header map entry runs past the header", replyable);
  try {
    return { text: utf8(bytes, at, at + len), next: at + len };
  } catch {
    throw new XCodecError("bolt header map entry is not UTF-8", replyable);
  }
}

/** The header map of `frame` as Bolt bytes: every entry but the pseudo-keys, in order. */
export function writeHeaderMap(frame: XFrame): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (let i = 0; i < frame.size; i++) {
    const name = frame.nameAt(i);
    if (name.charCodeAt(0) === 0x3a) continue; // ":"
    const k = utf8Bytes(frame.spellingAt(i));
    const v = utf8Bytes(frame.valueAt(i));
    parts.push(k, v);
    size += 8 + k.length + v.length;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}
