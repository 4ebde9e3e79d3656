const EMPTY = new Uint8Array(0);

/** Chunks up to this size are copied together into a tail block on append. */
const SMALL_CHUNK = 512;
const TAIL_BLOCK = 4096;

/**
 * The bytes a codec has received and not yet decoded, as a queue of the chunks the socket
 * delivered. Appending never copies; reading a frame that lies inside one chunk never copies
 * either (the result is a `subarray` of that chunk). Only a read that straddles chunks joins
 * the bytes it covers into a new array.
 *
 * Offsets are relative to the first unread byte. Every read checks its range and throws a
 * RangeError past `length`: a decoder asks `length` first and waits for more bytes, so a throw
 * here is a bug in the decoder, never a short read on the wire.
 *
 * Ownership: appended chunks become the buffer's; views it returns alias them, so a decoder may
 * patch a header in place (a request id) before forwarding the view.
 *
 * Small chunks (a peer writing a byte at a time) are copied together into 4 KiB tail blocks, so
 * the chunk list stays short and a scan over a slowly arriving head stays linear; bytes in a
 * tail block are never rewritten, so views handed out stay valid.
 */
export class ByteBuffer {
  private chunks: Uint8Array[] = [];
  /** Index in `chunks` of the first chunk holding unread bytes. */
  private first = 0;
  /** Bytes of `chunks[first]` already consumed. */
  private skip = 0;
  private size = 0;
  private tail: Uint8Array | null = null;
  private tailUsed = 0;
  /** Index in `chunks` of the chunk that ends at `tailUsed` in `tail`, or -1. */
  private tailChunk = -1;

  /** Unread bytes. */
  get length(): number {
    return this.size;
  }

  /** Queues `chunk` after the unread bytes, without copying it. Empty chunks are ignored. */
  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    this.size += n;
    if (n > SMALL_CHUNK) {
      this.chunks.push(chunk);
      return;
    }
    const last = this.chunks.length - 1;
    if (this.tail !== null && this.tailChunk === last && last >= this.first && this.tailUsed + n <= this.tail.length) {
      // Grow the last chunk, a view of the tail block, over the copied bytes.
      const view = this.chunks[last]!;
      this.tail.set(chunk, this.tailUsed);
      this.tailUsed += n;
      this.chunks[last] = this.tail.subarray(view.byteOffset - this.tail.byteOffset, this.tailUsed);
      return;
    }
    if (this.tail === null || this.tailUsed + n > this.tail.length) {
      this.tail = new Uint8Array(TAIL_BLOCK);
      this.tailUsed = 0;
    }
    this.tail.set(chunk, this.tailUsed);
    this.chunks.push(this.tail.subarray(this.tailUsed, this.tailUsed + n));
    this.tailUsed += n;
    this.tailChunk = this.chunks.length - 1;
  }

  /** The byte at `offset`. */
  uint8(offset: number): number {
    this.check(offset, 1);
    const head = this.chunks[this.first]!;
    const at = this.skip + offset;
    if (at < head.length) return head[at]!;
    return this.slowByte(offset);
  }

  /** Big-endian unsigned 16-bit integer at `offset` (network byte order). */
  uint16(offset: number): number {
    this.check(offset, 2);
    const head = this.chunks[this.first]!;
    const at = this.skip + offset;
    if (at + 2 <= head.length) return (head[at]! << 8) | head[at + 1]!;
    return (this.slowByte(offset) << 8) | this.slowByte(offset + 1);
  }

  /** Big-endian unsigned 24-bit integer at `offset` (an HTTP/2 frame length). */
  uint24(offset: number): number {
    this.check(offset, 3);
    const head = this.chunks[this.first]!;
    const at = this.skip + offset;
    if (at + 3 <= head.length) return (head[at]! << 16) | (head[at + 1]! << 8) | head[at + 2]!;
    return (this.slowByte(offset) << 16) | (this.slowByte(offset + 1) << 8) | this.slowByte(offset + 2);
  }

  /** Big-endian unsigned 32-bit integer at `offset`. */
  uint32(offset: number): number {
    this.check(offset, 4);
    const head = this.chunks[this.first]!;
    const at = this.skip + offset;
    if (at + 4 <= head.length) {
      return ((head[at]! << 24) | (head[at + 1]! << 16) | (head[at + 2]! << 8) | head[at + 3]!) >>> 0;
    }
    return ((this.slowByte(offset) << 24) | (this.slowByte(offset + 1) << 16) | (this.slowByte(offset + 2) << 8) |
      this.slowByte(offset + 3)) >>> 0;
  }

  /** Big-endian signed 32-bit integer at `offset`. */
  int32(offset: number): number {
    return this.uint32(offset) | 0;
  }

  /**
   * The offset of the first `byte` in [from, to), or -1. Scans chunk by chunk with the native
   * `indexOf`, so a line scan (HTTP/1 looking for LF) touches no byte twice across chunks.
   */
  indexOf(byte: number, from = 0, to = this.size): number {
    if (from < 0) from = 0;
    if (to > this.size) to = this.size;
    if (from >= to) return -1;
    let base = 0; // unread offset of the current chunk's first unread byte
    for (let i = this.first; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      const start = i === this.first ? this.skip : 0;
      const len = chunk.length - start;
      if (from < base + len) {
        const lo = start + (from > base ? from - base : 0);
        const hi = start + Math.min(len, to - base);
        const found = chunk.indexOf(byte, lo);
        if (found >= 0 && found < hi) return base + found - start;
        if (to <= base + len) return -1;
      }
      base += len;
    }
    return -1;
  }

  /** Whether the bytes at `offset` equal `bytes` (false when fewer bytes are buffered). */
  startsWith(bytes: Uint8Array, offset = 0): boolean {
    if (offset < 0 || offset + bytes.length > this.size) return false;
    for (let i = 0; i < bytes.length; i++) if (this.uint8(offset + i) !== bytes[i]) return false;
    return true;
  }

  /**
   * The bytes in [start, end) without consuming them: a view into the chunk when the range lies
   * in one chunk, else a new array joining the pieces.
   */
  slice(start: number, end: number): Uint8Array {
    this.check(start, end - start);
    if (start === end) return EMPTY;
    let base = 0;
    for (let i = this.first; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      const from = i === this.first ? this.skip : 0;
      const len = chunk.length - from;
      if (start < base + len) {
        if (end <= base + len) return chunk.subarray(from + start - base, from + end - base);
        return this.join(i, from + start - base, end - start);
      }
      base += len;
    }
    throw new RangeError("unreachable: range checked above");
  }

  /** Removes and returns the first `n` bytes: a view when they lie in one chunk, else a copy. */
  take(n: number): Uint8Array {
    const out = this.slice(0, n);
    this.drain(n);
    return out;
  }

  /**
   * Removes the first `n` bytes and pushes them onto `out` as views of the chunks they lie in,
   * never copying: what a codec uses to forward a body it does not read.
   */
  takeChunks(n: number, out: Uint8Array[]): void {
    this.check(0, n);
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[this.first]!;
      const avail = chunk.length - this.skip;
      if (avail <= left) {
        out.push(this.skip === 0 ? chunk : chunk.subarray(this.skip));
        left -= avail;
        this.dropHead();
      } else {
        out.push(chunk.subarray(this.skip, this.skip + left));
        this.skip += left;
        this.size -= left;
        left = 0;
      }
    }
  }

  /** Discards the first `n` bytes. */
  drain(n: number): void {
    this.check(0, n);
    let left = n;
    while (left > 0) {
      const avail = this.chunks[this.first]!.length - this.skip;
      if (avail <= left) {
        left -= avail;
        this.dropHead();
      } else {
        this.skip += left;
        this.size -= left;
        left = 0;
      }
    }
  }

  /** Discards everything, releasing the chunks. */
  clear(): void {
    this.chunks = [];
    this.first = 0;
    this.skip = 0;
    this.size = 0;
    this.tailChunk = -1;
  }

  private dropHead(): void {
    this.size -= this.chunks[this.first]!.length - this.skip;
    this.chunks[this.first] = EMPTY; // let the chunk go now, not at the next compaction
    this.first++;
    this.skip = 0;
    if (this.first === this.chunks.length) {
      this.chunks.length = 0;
      this.first = 0;
      this.tailChunk = -1;
    } else if (this.first >= 32) {
      // Amortised: a long-lived buffer that is never empty does not grow its array forever.
      this.chunks = this.chunks.slice(this.first);
      this.tailChunk -= this.first;
      this.first = 0;
    }
  }

  private check(offset: number, count: number): void {
    if (!(offset >= 0 && count >= 0 && offset + count <= this.size)) {
      throw new RangeError(`ByteBuffer: range [${offset}, ${offset + count}) outside the ${this.size} buffered bytes`);
    }
  }

  private slowByte(offset: number): number {
    let at = this.skip + offset;
    for (let i = this.first; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      if (at < chunk.length) return chunk[at]!;
      at -= chunk.length;
    }
    throw new RangeError("unreachable: offset checked by the caller");
  }

  private join(index: number, from: number, count: number): Uint8Array {
    const out = new Uint8Array(count);
    let at = 0;
    for (let i = index; at < count; i++) {
      const chunk = this.chunks[i]!;
      const start = i === index ? from : 0;
      const piece = Math.min(chunk.length - start, count - at);
      out.set(chunk.subarray(start, start + piece), at);
      at += piece;
    }
    return out;
  }
}
