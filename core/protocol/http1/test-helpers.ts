// Shared by this folder's tests: bytes from text, and a ByteBuffer fed in given pieces.
import { ByteBuffer } from "../../net/byte-buffer.ts";

export const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A buffer holding `text`, split into pieces of `piece` bytes (0: one chunk). */
export function bufferOf(text: string, piece = 0): ByteBuffer {
  const b = new ByteBuffer();
  const all = bytes(text);
  if (piece <= 0) b.append(all);
  else for (let i = 0; i < all.length; i += piece) b.append(all.slice(i, i + piece));
  return b;
}

export const text = (b: Uint8Array): string => String.fromCharCode(...b);
