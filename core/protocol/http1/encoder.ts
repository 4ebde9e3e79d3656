import type { HeaderMap } from "../../stream/header-map.ts";
import { FIELD_VALUE, TOKEN } from "./chars.ts";
import { writeLatin1 } from "./latin1.ts";

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return false;
  }
  return true;
}

function isFieldValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0xff && FIELD_VALUE[c] !== 1) return false;
  }
  return true;
}

/**
 * Whether a field may be written: pseudo-keys (`:path`) are the codec's, not wire fields, and a
 * name or value that a filter or a peer of another protocol set with CR, LF or NUL would split
 * the message in two (response splitting), so such a field is never written.
 */
function writable(name: string, value: string): boolean {
  return name.charCodeAt(0) !== 0x3a && isToken(name) && isFieldValue(value);
}

/** Bytes the fields take, with the empty line that ends them. */
function fieldsSize(headers: HeaderMap): number {
  let n = 2;
  headers.forEach((name, value, spelling) => {
    if (writable(name, value)) n += spelling.length + value.length + 4;
  });
  return n;
}

function writeFields(out: Uint8Array, at: number, headers: HeaderMap): number {
  headers.forEach((name, value, spelling) => {
    if (!writable(name, value)) return;
    at = writeLatin1(out, at, spelling);
    out[at++] = 0x3a;
    out[at++] = 0x20;
    at = writeLatin1(out, at, value);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
  });
  out[at++] = 0x0d;
  out[at++] = 0x0a;
  return at;
}

/**
 * `method SP target SP HTTP/1.1 CRLF fields CRLF` in one buffer, ready for `writev` with the
 * body. The caller has checked method and target (they come from a parsed request or a route).
 */
export function encodeRequestHead(method: string, target: string, headers: HeaderMap): Uint8Array {
  const out = new Uint8Array(method.length + target.length + 12 + fieldsSize(headers));
  let at = writeLatin1(out, 0, method);
  out[at++] = 0x20;
  at = writeLatin1(out, at, target);
  at = writeLatin1(out, at, " HTTP/1.1\r\n");
  writeFields(out, at, headers);
  return out;
}

/** `HTTP/1.x SP status SP reason CRLF fields CRLF` in one buffer. */
export function encodeResponseHead(
  status: number,
  reason: string,
  headers: HeaderMap,
  minorVersion: 0 | 1 = 1,
): Uint8Array {
  const safeReason = isFieldValue(reason) ? reason : "";
  const out = new Uint8Array(15 + safeReason.length + fieldsSize(headers));
  let at = writeLatin1(out, 0, minorVersion === 1 ? "HTTP/1.1 " : "HTTP/1.0 ");
  at = writeLatin1(out, at, String(status));
  out[at++] = 0x20;
  at = writeLatin1(out, at, safeReason);
  out[at++] = 0x0d;
  out[at++] = 0x0a;
  writeFields(out, at, headers);
  return out;
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
  const out = new Uint8Array(3 + fieldsSize(trailers));
  out[0] = 0x30;
  out[1] = 0x0d;
  out[2] = 0x0a;
  writeFields(out, 3, trailers);
  return out;
}
