// Shared by this folder's proxy tests: a bolt proxy on MemoryRuntime, a raw fake upstream that
// records the frames it gets and answers when the test says, and raw clients reading frames.
import type { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { sleep } from "../../../test/support/bytes.ts";
import { startProxy, type TestProxy } from "../../../test/support/proxy.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import type { Socket } from "../../net/socket.ts";
import { boltCodec } from "../../protocol/bolt/index.ts";
import { NEED_MORE } from "../../protocol/xprotocol/codec.ts";
import type { Registry } from "../../registry.ts";

export const UPSTREAM_PORT = 9500;

/** Polls `cond` (real time: the runtime's clock may be manual) until it holds, or fails naming `what`. */
export async function until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

/** Lets every queued delivery run (memory sockets deliver from microtasks; a few turns are plenty). */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await sleep(0);
}

/** Reads whole Bolt frames off a socket as they come, and everything else it reports. */
export class BoltPeer {
  readonly frames: Uint8Array[] = [];
  readonly buf = new ByteBuffer();
  closed = false;
  ended = false;
  /** Bytes that could not be framed as Bolt (an HTTP response on the same listener, ...). */
  raw = "";

  constructor(readonly socket: Socket, opts: { raw?: boolean } = {}) {
    socket.ondata = (b) => {
      if (opts.raw) {
        this.raw += new TextDecoder().decode(b);
        return;
      }
      this.buf.append(b);
      for (;;) {
        const n = boltCodec.frameLength(this.buf, 1 << 30);
        if (n === NEED_MORE || this.buf.length < n) break;
        this.frames.push(this.buf.take(n));
      }
    };
    socket.onend = () => (this.ended = true);
    socket.onclose = () => (this.closed = true);
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  waitFrames(n: number, what = `${n} frames`): Promise<void> {
    return until(() => this.frames.length >= n, what);
  }

  /** The proxy closed its end: FIN or reset (a memory socket's graceful close is seen as FIN). */
  waitClosed(): Promise<void> {
    return until(() => this.closed || this.ended, "the connection to close");
  }
}

/** A raw upstream on 127.0.0.1:UPSTREAM_PORT: each accepted connection is a BoltPeer. */
export class FakeUpstream {
  readonly conns: BoltPeer[] = [];

  static async start(rt: MemoryRuntime, port = UPSTREAM_PORT): Promise<FakeUpstream> {
    const up = new FakeUpstream();
    await rt.listen({ host: "127.0.0.1", port }, (s) => up.conns.push(new BoltPeer(s)));
    return up;
  }

  /** Every frame received, over all connections, in arrival order per connection. */
  get frames(): Uint8Array[] {
    return this.conns.flatMap((c) => c.frames);
  }

  waitFrames(n: number, what = `${n} upstream frames`): Promise<void> {
    return until(() => this.frames.length >= n, what);
  }
}

export async function connect(rt: MemoryRuntime, proxy: TestProxy, listener = "rpc"): Promise<BoltPeer> {
  return new BoltPeer(await rt.connect({ host: "127.0.0.1", port: proxy.port(listener) }));
}

export interface BoltProxyOptions {
  /** downstream_protocol; `bolt` unless given ("" leaves it out: Auto). */
  protocol?: string;
  /** The route's `timeout`. */
  timeout?: string;
  bufferLimit?: number;
  registry?: Registry;
  level?: "debug" | "info" | "warn" | "error";
}

/** One listener `rpc` proxying every request with a `service` header to the fake upstream. */
export function boltProxyYaml(opts: BoltProxyOptions = {}): string {
  const protocol = opts.protocol ?? "bolt";
  return `
servers:
  - listeners:
      - name: rpc
        address: 127.0.0.1:0
        ${opts.bufferLimit ? `per_connection_buffer_limit_bytes: ${opts.bufferLimit}` : ""}
        filter_chains:
          - filters:
              - type: proxy
                config:
                  ${protocol ? `downstream_protocol: ${protocol}` : ""}
                  router_config_name: rpc
    routers:
      - router_config_name: rpc
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { headers: [{ name: service, value: ".*" }] }
                route: { cluster_name: backend${opts.timeout ? `, timeout: ${opts.timeout}` : ""} }
              - match: { prefix: "/" }
                route: { cluster_name: web }
cluster_manager:
  clusters:
    - name: backend
      hosts: [{ address: "127.0.0.1:${UPSTREAM_PORT}" }]
    - name: web
      hosts: [{ address: "127.0.0.1:${UPSTREAM_PORT + 1}" }]
`;
}

export function startBoltProxy(rt: MemoryRuntime, opts: BoltProxyOptions = {}): Promise<TestProxy> {
  return startProxy(rt, boltProxyYaml(opts), { registry: opts.registry, level: opts.level });
}
