import * as net from "node:net";
import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime } from "../../core/net/runtime.ts";
import { SystemTimers } from "../../core/net/system-timers.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { abortedError, toSocketError } from "../../core/net/socket-error.ts";
import { NodeSocket } from "./socket.ts";

export class NodeRuntime extends SystemTimers implements Runtime {
  readonly name = "node" as const;

  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle> {
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    return new Promise((resolve, reject) => {
      const server = net.createServer(
        { allowHalfOpen: true, noDelay: true, highWaterMark: hwm } as net.ServerOpts,
        (s) => accept(new NodeSocket(s, hwm)),
      );
      const onListenError = (err: Error) => reject(toSocketError(err, `listen ${opts.host}:${opts.port}`));
      server.once("error", onListenError);
      // Node 20 has no SO_REUSEPORT; multi-process sharing goes through node:cluster instead.
      server.listen({ host: opts.host, port: opts.port, exclusive: false }, () => {
        server.off("error", onListenError);
        // Errors after the bind (an accept failing) leave the server listening: report them.
        // (libuv answers EMFILE itself, by accepting and closing with a spare descriptor.)
        server.on("error", (err) => opts.onError?.(toSocketError(err, "accept")));
        const a = server.address() as net.AddressInfo;
        resolve({
          address: { host: a.address, port: a.port },
          // server.close's callback waits for every accepted connection to end; the contract
          // is only to stop accepting, which happens at once.
          close: () => {
            server.close();
            return Promise.resolve();
          },
        });
      });
    });
  }

  connect(opts: ConnectOptions): Promise<Socket> {
    const op = `connect ${opts.host}:${opts.port}`;
    const hwm = opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(abortedError(opts.signal.reason, op));
      const s = net.connect(
        {
          host: opts.host,
          port: opts.port,
          allowHalfOpen: true,
          noDelay: true,
          highWaterMark: hwm,
        } as net.NetConnectOpts,
      );
      const onAbort = () => {
        s.destroy();
        reject(abortedError(opts.signal!.reason, op));
      };
      const onError = (err: Error) => {
        opts.signal?.removeEventListener("abort", onAbort);
        reject(toSocketError(err, op));
      };
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      s.once("error", onError);
      s.once("connect", () => {
        opts.signal?.removeEventListener("abort", onAbort);
        s.off("error", onError);
        resolve(new NodeSocket(s, hwm));
      });
    });
  }
}
