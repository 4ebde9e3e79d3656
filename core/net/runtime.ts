import type { Address } from "./address.ts";
import type { Socket } from "./socket.ts";

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** Share the port with other processes (SO_REUSEPORT) where the runtime offers it. */
  readonly reusePort?: boolean;
  /** Write queue size past which `Socket.write` returns false. */
  readonly highWaterMark?: number;
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly highWaterMark?: number;
  /** Aborting rejects the pending connect and releases the half-open socket. */
  readonly signal?: AbortSignal;
}

export interface ListenerHandle {
  /** The bound address (the real port when 0 was asked for). */
  readonly address: Address;
  /** Stops accepting; connections already accepted are left alone. */
  close(): Promise<void>;
}

export type TimerHandle = unknown;

/** What the core needs from a JavaScript runtime. Implemented by `adapters/<runtime>`. */
export interface Runtime {
  readonly name: "node" | "deno" | "bun" | "memory";
  /** Resolves once bound; rejects with the OS error (EADDRINUSE, EACCES, ...). */
  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle>;
  /** Resolves with an open socket; rejects on refusal, unreachability or abort. */
  connect(opts: ConnectOptions): Promise<Socket>;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Monotonic milliseconds. */
  now(): number;
}

/** The default high-water mark, matching MOSN's default connection buffer limit order. */
export const DEFAULT_HIGH_WATER_MARK = 64 * 1024;
