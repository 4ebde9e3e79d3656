import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime } from "../../core/net/runtime.ts";
import { SystemTimers } from "../../core/net/system-timers.ts";
import { abortable } from "../../core/net/abortable.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { bun } from "./bun-types.ts";
import { BunSocket, bunHandlers } from "./socket.ts";

export class BunRuntime extends SystemTimers implements Runtime {
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
    const raw = await abortable(pending, signal, (late) => late.terminate());
    return raw.data!;
  }
}
