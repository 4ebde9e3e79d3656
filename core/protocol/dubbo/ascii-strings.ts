import { copyBytes } from "../xprotocol/frame.ts";
// Strings out of bytes, for the Hessian reader. Dubbo requests repeat the same short strings on
// every call (framework version, service, method, attachment names, versions, groups); making
// each one again costs more than the rest of a decode, so short ASCII strings are looked up by
// content in a small table first and a hit makes no string at all.

/** Strings longer than this are not remembered (a trace id or a payload is rarely seen twice). */
const INTERN_MAX_BYTES = 64;
const SLOTS = 512; // a power of two; at most SLOTS * INTERN_MAX_BYTES bytes of keys
const keys: (Uint8Array | undefined)[] = new Array(SLOTS);
const values: string[] = new Array(SLOTS).fill("");
/** `String.fromCharCode.apply` passes its array as arguments; this keeps each call well under the engines' limits. */
const APPLY_CHUNK = 4096;

/**
 * The string of `bytes[start, end)` if they are all ASCII, else null. Short strings come from
 * (and go into) a direct-mapped table keyed by an FNV-1a hash of their bytes, computed in the same
 * pass that checks them.
 */
export function asciiString(bytes: Uint8Array, start: number, end: number): string | null {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return null;
    h = Math.imul(h ^ b, 0x01000193);
  }
  const n = end - start;
  if (n > INTERN_MAX_BYTES) return fromCodes(bytes, start, end);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  const key = keys[slot];
  if (key !== undefined && key.length === n) {
    let i = 0;
    while (i < n && key[i] === bytes[start + i]) i++;
    if (i === n) return values[slot]!;
  }
  const s = fromCodes(bytes, start, end);
  // A copy of its own: a Node Buffer's slice is a view that would pin (and follow) the read chunk.
  keys[slot] = copyBytes(bytes.subarray(start, end));
  values[slot] = s;
  return s;
}

/** A string of the char codes in `codes[start, end)`, one fromCharCode call per 4096. */
export function fromCodes(codes: Uint8Array | Uint16Array, start: number, end: number): string {
  if (end - start <= APPLY_CHUNK) {
    return String.fromCharCode.apply(null, codes.subarray(start, end) as unknown as number[]);
  }
  let s = "";
  for (let i = start; i < end; i += APPLY_CHUNK) {
    s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(end, i + APPLY_CHUNK)) as unknown as number[]);
  }
  return s;
}
