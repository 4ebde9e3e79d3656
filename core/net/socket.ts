import type { Address } from "./address.ts";

/**
 * A connected byte stream, as every adapter (node, deno, bun, memory) must provide it.
 *
 * Contract, checked by `socket.contract.ts` against every adapter:
 * - Chunks passed to `ondata` belong to the receiver: the adapter never reuses or mutates them.
 * - `write` takes ownership of `bytes` (the caller must not mutate them afterwards). It never
 *   drops data: whatever the OS does not take now is queued in order. It returns `false` once the
 *   queue has reached the high-water mark; `ondrain` then fires when the queue is empty again.
 * - `end` half-closes: queued bytes are flushed, then FIN is sent. Reading continues.
 * - `onend` fires once when the peer half-closed (EOF); the socket stays writable.
 * - `onclose` fires exactly once, last, after both directions are done or after an error or
 *   `destroy`; `err` is set when the close was abnormal. No callback fires after it.
 * - `pause`/`resume` stop and restart delivery of `ondata`, so the peer feels TCP backpressure.
 *   Idempotent; a chunk already read when `pause` is called may still be delivered.
 */
export interface Socket {
  write(bytes: Uint8Array): boolean;
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
