import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime, TimerHandle } from "../../core/net/runtime.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { bun } from "./bun-types.ts";
import { BunSocket, bunHandlers } from "./socket.ts";

export class BunRuntime implements Runtime {
  readonly name = "bun" as const;

  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle> {
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    let listener;
    try {
      listener = bun().listen<BunSocket | null>({
        hostname: opts.host,
        port: opts.port,
        reusePort: opts.reusePort ?? false,
        allowHalfOpen: true,
        socket: bunHandlers((s) => {
          const sock = new BunSocket(s, hwm);
          s.data = sock;
          accept(sock);
        }),
      });
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve({
      address: { host: listener.hostname, port: listener.port },
      close: () => {
        listener.stop(false);
        return Promise.resolve();
      },
    });
  }

  async connect(opts: ConnectOptions): Promise<Socket> {
    const signal = opts.signal;
    if (signal?.aborted) throw signal.reason;
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    const pending = bun().connect<BunSocket | null>({
      hostname: opts.host,
      port: opts.port,
      allowHalfOpen: true,
      data: null,
      socket: {
        ...bunHandlers((s) => {
          s.data = new BunSocket(s, hwm);
        }),
        // Handled through the rejected promise; the handler keeps Bun from reporting it twice.
        connectError: () => {},
      },
    });
    const raw = await (signal
      ? new Promise<Awaited<typeof pending>>((resolve, reject) => {
          const onAbort = () => {
            reject(signal.reason);
            pending.then((s) => s.terminate(), () => {});
          };
          signal.addEventListener("abort", onAbort, { once: true });
          pending.then(
            (s) => {
              signal.removeEventListener("abort", onAbort);
              if (signal.aborted) s.terminate();
              else resolve(s);
            },
            (e) => {
              signal.removeEventListener("abort", onAbort);
              reject(e);
            },
          );
        })
      : pending);
    return raw.data!;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    return setTimeout(fn, ms);
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  now(): number {
    return performance.now();
  }
}
