import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime } from "../../core/net/runtime.ts";
import { SystemTimers } from "../../core/net/system-timers.ts";
import { abortable } from "../../core/net/abortable.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { deno } from "./deno-types.ts";
import { DenoSocket } from "./socket.ts";

export class DenoRuntime extends SystemTimers implements Runtime {
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
    const acceptLoop = (async () => {
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
      // Deno frees the port only once the pending accept has been cancelled, a tick after
      // close(); resolving after the loop has ended lets a caller bind the port again at once.
      close: () => {
        if (open) {
          open = false;
          listener.close();
        }
        return acceptLoop;
      },
    });
  }

  async connect(opts: ConnectOptions): Promise<Socket> {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const pending = deno().connect({ hostname: opts.host, port: opts.port, transport: "tcp" });
    const conn = await abortable(pending, opts.signal, (late) => late.close());
    return new DenoSocket(conn, opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK);
  }

}
