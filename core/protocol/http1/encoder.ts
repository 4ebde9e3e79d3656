import type { HeaderMap } from "../../stream/header-map.ts";
import { FIELD_VALUE, TOKEN } from "./chars.ts";
import { writeLatin1 } from "./latin1.ts";

/**
 * Heads are encoded into one reused scratch buffer and copied out at their exact size: one pass
 * over each name and value checks and writes it (no sizing pass). Encoding is synchronous and
 * never re-entered, so one scratch serves every connection; it grows for a larger head.
 */
let scratch = new Uint8Array(16 * 1024);

function ensure(at: number, more: number): void {
  if (at + more <= scratch.length) return;
  let size = scratch.length * 2;
  while (size < at + more) size *= 2;
  const grown = new Uint8Array(size);
  grown.set(scratch.subarray(0, at));
  scratch = grown;
}

function put(at: number, text: string): number {
  ensure(at, text.length);
  return writeLatin1(scratch, at, text);
}

/** Writes a name, or returns -1 when it is not a token (it would corrupt the head). */
function putName(at: number, name: string): number {
  const n = name.length;
  if (n === 0) return -1;
  ensure(at, n);
  const out = scratch;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return -1;
    out[at++] = c;
  }
  return at;
}

/** Writes a value, or returns -1 when it holds a CTL (CR, LF, NUL...) that would split the message. */
function putValue(at: number, value: string): number {
  const n = value.length;
  ensure(at, n);
  const out = scratch;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) {
      // HTTP/1 cannot carry it; "?" keeps the length, and so the framing, intact.
      out[at++] = 0x3f;
      continue;
    }
    if (FIELD_VALUE[c] !== 1) return -1;
    out[at++] = c;
  }
  return at;
}

/**
 * Writes every writable field and the empty line. Pseudo-keys (`:path`) are the codec's, not
 * wire fields; a name or value that a filter or a peer of another protocol set with CR, LF or
 * NUL would split the message in two (response splitting), so such a field is left out.
 */
function putFields(at: number, headers: HeaderMap): number {
  const count = headers.size;
  for (let i = 0; i < count; i++) {
    const name = headers.nameAt(i);
    if (name.charCodeAt(0) === 0x3a) continue;
    const start = at;
    let p = putName(at, headers.spellingAt(i));
    if (p < 0) continue;
    ensure(p, 2);
    scratch[p++] = 0x3a;
    scratch[p++] = 0x20;
    p = putValue(p, headers.valueAt(i));
    if (p < 0) {
      at = start;
      continue;
    }
    ensure(p, 2);
    scratch[p++] = 0x0d;
    scratch[p++] = 0x0a;
    at = p;
  }
  ensure(at, 2);
  scratch[at++] = 0x0d;
  scratch[at++] = 0x0a;
  return at;
}

function isFieldValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0xff && FIELD_VALUE[c] !== 1) return false;
  }
  return true;
}

/**
 * `method SP target SP HTTP/1.1 CRLF fields CRLF` in one buffer, ready for `writev` with the
 * body. The caller has checked method and target (they come from a parsed request or a route).
 */
export function encodeRequestHead(method: string, target: string, headers: HeaderMap): Uint8Array {
  let at = put(0, method);
  at = put(at, " ");
  at = put(at, target);
  at = put(at, " HTTP/1.1\r\n");
  at = putFields(at, headers);
  return scratch.slice(0, at);
}

/** `HTTP/1.x SP status SP reason CRLF fields CRLF` in one buffer. */
export function encodeResponseHead(
  status: number,
  reason: string,
  headers: HeaderMap,
  minorVersion: 0 | 1 = 1,
): Uint8Array {
  let at = put(0, minorVersion === 1 ? "HTTP/1.1 " : "HTTP/1.0 ");
  at = put(at, String(status));
  at = put(at, " ");
  if (isFieldValue(reason)) at = put(at, reason);
  at = put(at, "\r\n");
  at = putFields(at, headers);
  return scratch.slice(0, at);
}

/** The `size-in-hex CRLF` that opens a chunk of `size` bytes. */
export function chunkHead(size: number): Uint8Array {
  const hex = size.toString(16);
  const out = new Uint8Array(hex.length + 2);
  const at = writeLatin1(out, 0, hex);
  out[at] = 0x0d;
  out[at + 1] = 0x0a;
  return out;
}

/** The CRLF that closes a chunk's data. */
export const CRLF: Uint8Array = new Uint8Array([0x0d, 0x0a]);

/** The last chunk and an empty trailer section: the end of a chunked body. */
export const LAST_CHUNK: Uint8Array = new Uint8Array([0x30, 0x0d, 0x0a, 0x0d, 0x0a]);

/** The last chunk followed by trailer fields. */
export function encodeLastChunkWithTrailers(trailers: HeaderMap): Uint8Array {
  let at = put(0, "0\r\n");
  at = putFields(at, trailers);
  return scratch.slice(0, at);
}
