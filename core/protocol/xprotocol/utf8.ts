const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * UTF-8 bytes in [start, end) as a string. RPC header keys and values are almost always ASCII,
 * which is turned into a string without TextDecoder's per-call cost. Throws TypeError on bytes
 * that are not UTF-8.
 */
export function utf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return "";
  if (n <= 256) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(bytes.subarray(start, end));
}

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}
