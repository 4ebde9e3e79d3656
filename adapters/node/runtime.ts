import * as net from "node:net";
import type { ConnectOptions, ListenerHandle, ListenOptions, Runtime } from "../../core/net/runtime.ts";
import { SystemTimers } from "../../core/net/system-timers.ts";
import { DEFAULT_HIGH_WATER_MARK } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { NodeSocket } from "./socket.ts";

export class NodeRuntime extends SystemTimers implements Runtime {
  readonly name = "node" as const;

  listen(opts: ListenOptions, accept: (socket: Socket) => void): Promise<ListenerHandle> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({
        allowHalfOpen: true,
        noDelay: true,
        highWaterMark: opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      } as net.ServerOpts, (s) => accept(new NodeSocket(s)));
      server.once("error", reject);
      // Node 20 has no SO_REUSEPORT; multi-process sharing goes through node:cluster instead.
      server.listen({ host: opts.host, port: opts.port, exclusive: false }, () => {
        server.off("error", reject);
        server.on("error", () => {});
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
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      const s = net.connect({
        host: opts.host,
        port: opts.port,
        allowHalfOpen: true,
        noDelay: true,
        highWaterMark: opts.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      } as net.NetConnectOpts);
      const onAbort = () => {
        s.destroy();
        reject(opts.signal!.reason);
      };
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      s.once("error", reject);
      s.once("connect", () => {
        opts.signal?.removeEventListener("abort", onAbort);
        s.off("error", reject);
        resolve(new NodeSocket(s));
      });
    });
  }
}
