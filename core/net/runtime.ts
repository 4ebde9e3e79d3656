import type { Address } from "./address.ts";
import type { Socket } from "./socket.ts";
import type { SocketError } from "./socket-error.ts";

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** Share the port with other processes (SO_REUSEPORT) where the runtime offers it. */
  readonly reusePort?: boolean;
  /** Write queue size past which `Socket.write` returns false. */
  readonly highWaterMark?: number;
  /**
   * Called for each error of the bound listener that does not close it, such as an accept
   * failing with EMFILE: the listener keeps accepting (after a pause where the runtime's
   * accept loop is ours). Never called for errors of accepted sockets (see `Socket.onclose`).
   */
  readonly onError?: (err: SocketError) => void;
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
  /** Resolves once bound; rejects with a SocketError (address_in_use, access_denied, address_unavailable, ...). */
  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle>;
  /**
   * Resolves with an open socket; rejects with a SocketError (refused, timeout, unreachable,
   * reset, not_found, ...). An abort rejects with the signal's reason when that is a SocketError,
   * else with an "aborted" SocketError whose `cause` is the reason.
   */
  connect(opts: ConnectOptions): Promise<Socket>;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Monotonic milliseconds. */
  now(): number;
}

/** The default high-water mark, matching MOSN's default connection buffer limit order. */
export const DEFAULT_HIGH_WATER_MARK = 64 * 1024;
