import type { Address } from "./address.ts";

/**
 * A connected byte stream, as every adapter (node, deno, bun, memory) must provide it.
 *
 * Contract, checked by `socket.contract.ts` against every adapter:
 * - Chunks passed to `ondata` belong to the receiver: the adapter never reuses or mutates them.
 * - `write` takes ownership of `bytes` (the caller must not mutate them afterwards). It never
 *   drops data: whatever the OS does not take now is queued in order.
 * - Watermarks, with hysteresis as Envoy's buffers: `write`/`writev` return `false` once
 *   `bufferedAmount` is above the high-water mark (one write of exactly the mark into an empty
 *   queue is not above it). After a `false`, `ondrain` fires once `bufferedAmount` has fallen to
 *   the low-water mark, half the high one, or below, so a bulk sender refills the queue while
 *   the OS still has half a buffer to send. An adapter whose runtime only reports an empty
 *   queue fires `ondrain` then (later, never earlier).
 * - `writev` writes its chunks in order as if concatenated, in one system call where the runtime
 *   has a vectored or corked write; same ownership and return value as `write`.
 * - `end` half-closes: queued bytes are flushed, then FIN is sent. Reading continues.
 * - `onend` fires once when the peer half-closed (EOF); the socket stays writable.
 * - `onclose` fires exactly once, last, after both directions are done or after an error or
 *   `destroy`; `err` is set when the close was abnormal: the reason given to `destroy`, or a
 *   `SocketError` (`kind` "reset" when the peer reset the connection). No callback fires after it.
 * - `destroy()` closes now and the peer sees FIN. `destroy(reason)` is abortive: the peer sees
 *   RST (its socket closes with a "reset" error), so a reset is passed on as a reset. Deno's API
 *   cannot send RST: there the peer sees FIN, and its next write draws the reset.
 * - `pause`/`resume` stop and restart delivery of `ondata`, so the peer feels TCP backpressure.
 *   Idempotent; a chunk already read when `pause` is called may still be delivered.
 */
export interface Socket {
  write(bytes: Uint8Array): boolean;
  writev(chunks: readonly Uint8Array[]): boolean;
  end(): void;
  destroy(reason?: Error): void;
  pause(): void;
  resume(): void;
  /** Bytes accepted by `write` that the OS has not taken yet. */
  readonly bufferedAmount: number;
  readonly local: Address;
  readonly remote: Address;
  ondata: ((bytes: Uint8Array) => void) | null;
  onend: (() => void) | null;
  ondrain: (() => void) | null;
  onclose: ((err?: Error) => void) | null;
}
