/**
 * Bytes of an HTTP/1 head as a string, one char per byte (ISO-8859-1): header bytes are not
 * UTF-8 on the wire, and obs-text must come back out as the same bytes. Not TextDecoder's
 * "latin1", which is windows-1252 and remaps 0x80-0x9F.
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return "";
  if (n === 1) return String.fromCharCode(bytes[start]!);
  if (n <= 4096) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let s = "";
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return s;
}

/**
 * Writes `text` at `at` as latin1 bytes and returns the offset after it. Chars above 0xFF
 * cannot be carried by HTTP/1 and are written as "?", so a header value never grows bytes
 * that would shift the framing.
 */
export function writeLatin1(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[at++] = c <= 0xff ? c : 0x3f;
  }
  return at;
}
