import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime, TimerHandle } from "../../core/net/runtime.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { abortedError, SocketError, toSocketError } from "../../core/net/socket-error.ts";
import { memorySocketPair } from "./socket.ts";
import { ManualClock } from "./clock.ts";

interface Bound {
  accept: (s: Socket) => void;
  highWaterMark: number;
  onError: ((err: SocketError) => void) | undefined;
}

/**
 * An in-process network: `listen` binds a name in a map, `connect` makes a socket pair.
 * With `clock`, timers only fire when the test advances it, so timeouts are deterministic.
 */
export class MemoryRuntime implements Runtime {
  readonly name = "memory" as const;
  private readonly bound = new Map<string, Bound>();
  private readonly holes = new Set<string>();
  private nextPort = 40000;
  readonly clock: ManualClock | undefined;

  constructor(opts: { clock?: ManualClock } = {}) {
    this.clock = opts.clock;
  }

  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle> {
    const port = opts.port === 0 ? this.nextPort++ : opts.port;
    const key = `${opts.host}:${port}`;
    if (this.bound.has(key)) {
      return Promise.reject(
        new SocketError("address_in_use", `listen ${key}: address already in use (EADDRINUSE)`, {
          errno: "EADDRINUSE",
        }),
      );
    }
    this.bound.set(key, {
      accept,
      highWaterMark: opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      onError: opts.onError,
    });
    const address = { host: opts.host, port };
    return Promise.resolve({
      address,
      close: () => {
        this.bound.delete(key);
        return Promise.resolve();
      },
    });
  }

  /** Reports an accept failure (EMFILE, ...) on the listener bound to this address, as a kernel would. */
  failAccept(host: string, port: number, errno: string): void {
    this.bound.get(`${host}:${port}`)?.onError?.(toSocketError(undefined, "accept", { errno }));
  }

  /** Makes connects to this address hang until aborted, as to a host that drops SYNs. */
  blackhole(host: string, port: number): void {
    this.holes.add(`${host}:${port}`);
  }

  connect(opts: ConnectOptions): Promise<Socket> {
    const op = `connect ${opts.host}:${opts.port}`;
    if (opts.signal?.aborted) return Promise.reject(abortedError(opts.signal.reason, op));
    if (this.holes.has(`${opts.host}:${opts.port}`)) {
      return new Promise((_, reject) =>
        opts.signal?.addEventListener("abort", () => reject(abortedError(opts.signal!.reason, op)), { once: true })
      );
    }
    const target = this.bound.get(`${opts.host}:${opts.port}`) ?? this.bound.get(`0.0.0.0:${opts.port}`);
    if (!target) {
      return Promise.reject(
        new SocketError("refused", `${op}: connection refused (ECONNREFUSED)`, { errno: "ECONNREFUSED" }),
      );
    }
    const local = { host: "127.0.0.1", port: this.nextPort++ };
    const [client, server] = memorySocketPair(
      local,
      { host: opts.host, port: opts.port },
      opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      target.highWaterMark,
    );
    // Accept on a later tick, as a kernel would, so the caller sees connect resolve first.
    queueMicrotask(() => target.accept(server));
    return Promise.resolve(client);
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.clock ? this.clock.set(ms, fn) : setTimeout(fn, ms);
  }

  clearTimer(handle: TimerHandle): void {
    if (this.clock) this.clock.clear(handle);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  now(): number {
    return this.clock ? this.clock.now() : performance.now();
  }
}
