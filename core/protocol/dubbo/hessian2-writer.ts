import {
  STRING_CHUNK,
  STRING_CHUNK_CHARS,
  STRING_FINAL,
  STRING_MEDIUM,
  STRING_MEDIUM_MAX,
  STRING_SHORT_MAX,
} from "./hessian2-codes.ts";

// Hessian 2.0 strings as Java's Hessian2Output writes them, in two allocation-free passes: the
// caller sizes its output with `stringBytes`, then fills it with `writeString`.

const MEDIUM_MAX_CHARS = ((STRING_MEDIUM_MAX - STRING_MEDIUM) << 8) | 0xff; // 1023

/** The bytes `writeString` takes for `s`. */
export function stringBytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  let left = s.length;
  while (left > STRING_CHUNK_CHARS) {
    n += 3;
    left -= chunkChars(s, s.length - left);
  }
  return n + (left <= STRING_SHORT_MAX ? 1 : left <= MEDIUM_MAX_CHARS ? 2 : 3);
}

/**
 * Writes `s` at `at` and returns the offset after it. Chars are UTF-16 units, each written as 1-3
 * bytes, a surrogate as its own 3-byte sequence (Java's modified UTF-8, which the length, a count
 * of units, assumes). Strings over 0x8000 units go out in 'R' chunks that never end between the
 * two halves of a pair (spec 4.12: "String chunks may not split surrogate pairs"); the final
 * chunk takes the shortest form.
 */
export function writeString(out: Uint8Array, at: number, s: string): number {
  let from = 0;
  while (s.length - from > STRING_CHUNK_CHARS) {
    const n = chunkChars(s, from);
    out[at] = STRING_CHUNK;
    out[at + 1] = n >> 8;
    out[at + 2] = n & 0xff;
    at = writeChars(out, at + 3, s, from, from + n);
    from += n;
  }
  const n = s.length - from;
  if (n <= STRING_SHORT_MAX) out[at++] = n;
  else if (n <= MEDIUM_MAX_CHARS) {
    out[at++] = STRING_MEDIUM + (n >> 8);
    out[at++] = n & 0xff;
  } else {
    out[at++] = STRING_FINAL;
    out[at++] = n >> 8;
    out[at++] = n & 0xff;
  }
  return writeChars(out, at, s, from, s.length);
}

/** Units in the non-final chunk starting at `from`: 0x8000, one less if that would end on a high surrogate. */
function chunkChars(s: string, from: number): number {
  const tail = s.charCodeAt(from + STRING_CHUNK_CHARS - 1);
  return tail >= 0xd800 && tail <= 0xdbff ? STRING_CHUNK_CHARS - 1 : STRING_CHUNK_CHARS;
}

function writeChars(out: Uint8Array, at: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out[at++] = c;
    else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}
