import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime } from "../../core/net/runtime.ts";
import { SystemTimers } from "../../core/net/system-timers.ts";
import { abortable } from "../../core/net/abortable.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { abortedError, toSocketError } from "../../core/net/socket-error.ts";
import { bun } from "./bun-types.ts";
import { bunHandlers, BunSocket, COALESCE_LIMIT } from "./socket.ts";

/**
 * Bun's sockets as the core's Runtime. Bun 1.4.5's errors carry the errno name in `code`
 * (its messages do not: "Failed to connect"). Bun accepts in native code and hands no accept
 * error to JavaScript (under EMFILE it waits and accepts again once descriptors free up), so
 * `ListenOptions.onError` is never called here.
 */
export class BunRuntime extends SystemTimers implements Runtime {
  readonly name = "bun" as const;
  private readonly scratch = new Uint8Array(COALESCE_LIMIT);

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
          const sock = new BunSocket(s, hwm, this.scratch);
          s.data = sock;
          accept(sock);
        }),
      });
    } catch (err) {
      return Promise.reject(toSocketError(err, `listen ${opts.host}:${opts.port}`));
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
    const op = `connect ${opts.host}:${opts.port}`;
    if (opts.signal?.aborted) throw abortedError(opts.signal.reason, op);
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    const pending = bun().connect<BunSocket | null>({
      hostname: opts.host,
      port: opts.port,
      allowHalfOpen: true,
      data: null,
      socket: {
        ...bunHandlers((s) => {
          s.data = new BunSocket(s, hwm, this.scratch);
        }),
        // Handled through the rejected promise; the handler keeps Bun from reporting it twice.
        connectError: () => {},
      },
    });
    try {
      const raw = await abortable(pending, opts.signal, op, (late) => late.terminate());
      return raw.data!;
    } catch (err) {
      throw toSocketError(err, op);
    }
  }
}
