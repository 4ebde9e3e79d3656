import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime, TimerHandle } from "../../core/net/runtime.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { deno } from "./deno-types.ts";
import { DenoSocket } from "./socket.ts";

export class DenoRuntime implements Runtime {
  readonly name = "deno" as const;

  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle> {
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    let listener;
    try {
      // reusePort requires --unstable-net; only ask for it when sharing was requested.
      listener = deno().listen({ hostname: opts.host, port: opts.port, transport: "tcp", ...(opts.reusePort ? { reusePort: true } : {}) });
    } catch (err) {
      return Promise.reject(err);
    }
    let open = true;
    (async () => {
      while (open) {
        try {
          const conn = await listener.accept();
          accept(new DenoSocket(conn, hwm));
        } catch {
          if (!open) return;
          // A failed accept (EMFILE, a reset during handshake) must not stop the listener.
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    })();
    return Promise.resolve({
      address: { host: listener.addr.hostname, port: listener.addr.port },
      close: () => {
        if (open) {
          open = false;
          listener.close();
        }
        return Promise.resolve();
      },
    });
  }

  async connect(opts: ConnectOptions): Promise<Socket> {
    const signal = opts.signal;
    if (signal?.aborted) throw signal.reason;
    const pending = deno().connect({ hostname: opts.host, port: opts.port, transport: "tcp" });
    if (!signal) return new DenoSocket(await pending, opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK);
    const conn = await new Promise<Awaited<typeof pending>>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        // The connect may still complete: close what arrives late.
        pending.then((c) => c.close(), () => {});
      };
      signal.addEventListener("abort", onAbort, { once: true });
      pending.then(
        (c) => {
          signal.removeEventListener("abort", onAbort);
          if (signal.aborted) c.close();
          else resolve(c);
        },
        (e) => {
          signal.removeEventListener("abort", onAbort);
          reject(e);
        },
      );
    });
    return new DenoSocket(conn, opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK);
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
