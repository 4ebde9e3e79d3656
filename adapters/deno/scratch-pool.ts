/**
 * Buffers to join queued chunks into before one `conn.write`. Deno's write is asynchronous and
 * reads the buffer until it settles, so each write in flight holds one buffer; a few are kept
 * for reuse, so joining allocates nothing in the steady state.
 */
export class ScratchPool {
  private readonly free: Uint8Array[] = [];

  constructor(readonly size: number, private readonly keep = 16) {}

  take(): Uint8Array {
    return this.free.pop() ?? new Uint8Array(this.size);
  }

  give(buf: Uint8Array): void {
    if (this.free.length < this.keep) this.free.push(buf);
  }
}
