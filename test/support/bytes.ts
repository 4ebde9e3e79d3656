import type { Socket } from "../../core/net/socket.ts";

/** Deterministic pseudo-random bytes, so a corrupted or reordered transfer is caught. */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const text = (s: string) => new TextEncoder().encode(s);
export const str = (b: Uint8Array) => new TextDecoder().decode(b);

/** Records everything a socket reports, with promises for its end and close. */
export class Recorder {
  chunks: Uint8Array[] = [];
  size = 0;
  ended = false;
  closed = false;
  closeCount = 0;
  closeError: Error | undefined;
  eventsAfterClose = 0;
  readonly closedP: Promise<Error | undefined>;
  readonly endedP: Promise<void>;
  private waiters: Array<{ size: number; resolve: () => void }> = [];

  constructor(readonly socket: Socket, opts: { keep?: boolean } = {}) {
    const keep = opts.keep ?? true;
    let onEnd!: () => void;
    let onClose!: (e: Error | undefined) => void;
    this.endedP = new Promise((r) => (onEnd = r));
    this.closedP = new Promise((r) => (onClose = r));
    socket.ondata = (b) => {
      if (this.closed) this.eventsAfterClose++;
      if (keep) this.chunks.push(b);
      this.size += b.length;
      this.waiters = this.waiters.filter((w) => (this.size >= w.size ? (w.resolve(), false) : true));
    };
    socket.onend = () => {
      if (this.closed) this.eventsAfterClose++;
      this.ended = true;
      onEnd();
    };
    socket.onclose = (err) => {
      this.closeCount++;
      this.closed = true;
      this.closeError = err;
      onClose(err);
      this.waiters.forEach((w) => w.resolve());
    };
  }

  /** Resolves once at least `size` bytes arrived (or the socket closed). */
  waitFor(size: number): Promise<void> {
    if (this.size >= size || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ size, resolve }));
  }

  bytes(): Uint8Array {
    return concat(this.chunks);
  }
}

/** Writes all of `data` in `chunk`-sized pieces, waiting for drain whenever write says so. */
export async function writeAll(socket: Socket, data: Uint8Array, chunk = 64 * 1024): Promise<void> {
  for (let at = 0; at < data.length; at += chunk) {
    if (!socket.write(data.subarray(at, Math.min(at + chunk, data.length)))) {
      await new Promise<void>((r) => (socket.ondrain = () => r()));
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`timed out after ${ms}ms: ${what}`)), ms))),
  ]);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** An endless deterministic byte stream, produced in pieces (xorshift32, one byte per step). */
export class PatternSource {
  private x: number;
  produced = 0;
  constructor(seed = 1) {
    this.x = seed >>> 0 || 1;
  }
  next(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let x = this.x;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    this.x = x;
    this.produced += n;
    return out;
  }
}

/** Checks a received stream against PatternSource output without keeping it in memory. */
export class PatternSink {
  private readonly expected: PatternSource;
  received = 0;
  firstMismatch = -1;
  constructor(seed = 1) {
    this.expected = new PatternSource(seed);
  }
  feed(chunk: Uint8Array): void {
    const want = this.expected.next(chunk.length);
    if (this.firstMismatch < 0) {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== want[i]) {
          this.firstMismatch = this.received + i;
          break;
        }
      }
    }
    this.received += chunk.length;
  }
}

/** Streams `total` pattern bytes into a socket, honouring backpressure, then half-closes. */
export async function sendPattern(socket: Socket, total: number, seed: number, chunk = 64 * 1024): Promise<void> {
  const src = new PatternSource(seed);
  while (src.produced < total) {
    if (!socket.write(src.next(Math.min(chunk, total - src.produced)))) {
      await new Promise<void>((r) => (socket.ondrain = () => r()));
    }
  }
  socket.end();
}
