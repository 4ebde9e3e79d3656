// One Auto listener taking Bolt, Dubbo and HTTP/1 clients, each told apart by its first bytes.
import { assert, describe, it } from "../../../test/support/test-api.ts";
import { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { concat, sleep, str, text } from "../../../test/support/bytes.ts";
import { hessianEncode } from "../../../test/support/hessian.ts";
import { startProxy } from "../../../test/support/proxy.ts";
import type { Socket } from "../../net/socket.ts";
import { boltId, boltParts, boltRequest, boltResponse } from "../../protocol/bolt/test-helpers.ts";
import { frame as dubboFrame, requestFrame as dubboRequest } from "../../protocol/dubbo/test-helpers.ts";
import { BoltPeer, FakeUpstream, until } from "./test-helpers.ts";

const BOLT_PORT = 9500, DUBBO_PORT = 9502, HTTP_PORT = 9501;

function yaml(downstream: string): string {
  return `
servers:
  - listeners:
      - name: rpc
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config:
                  ${downstream}
                  router_config_name: rpc
    routers:
      - router_config_name: rpc
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { headers: [{ name: service, value: "com.example.Echo:1.0" }] }
                route: { cluster_name: bolt }
              - match: { headers: [{ name: service, value: "com.example.DemoService" }] }
                route: { cluster_name: dubbo }
              - match: { prefix: "/" }
                route: { cluster_name: web }
cluster_manager:
  clusters:
    - { name: bolt, hosts: [{ address: "127.0.0.1:${BOLT_PORT}" }] }
    - { name: dubbo, hosts: [{ address: "127.0.0.1:${DUBBO_PORT}" }] }
    - { name: web, hosts: [{ address: "127.0.0.1:${HTTP_PORT}" }] }
`;
}

/** A raw Dubbo provider: answers every request with status OK (20) and the request's id. */
async function dubboProvider(rt: MemoryRuntime): Promise<{ requests: Uint8Array[] }> {
  const seen = { requests: [] as Uint8Array[] };
  await rt.listen({ host: "127.0.0.1", port: DUBBO_PORT }, (s: Socket) => {
    let pending: Uint8Array = new Uint8Array(0);
    s.ondata = (b) => {
      pending = concat([pending, b]);
      while (pending.length >= 16) {
        const len = 16 + new DataView(pending.buffer, pending.byteOffset).getUint32(12);
        if (pending.length < len) break;
        const req = pending.slice(0, len);
        pending = pending.slice(len);
        seen.requests.push(req);
        const id = Number(new DataView(req.buffer).getBigUint64(4));
        s.write(dubboFrame(0x02, 20, id, hessianEncode(1, "hello from dubbo")));
      }
    };
  });
  return seen;
}

async function httpUpstream(rt: MemoryRuntime): Promise<string[]> {
  const seen: string[] = [];
  await rt.listen({ host: "127.0.0.1", port: HTTP_PORT }, (s: Socket) => {
    s.ondata = (b) => {
      seen.push(str(b));
      s.write(text("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nfrom web"));
    };
  });
  return seen;
}

/** Writes `bytes` one byte per write, letting each be delivered alone. */
async function dribble(s: Socket, bytes: Uint8Array): Promise<void> {
  for (const b of bytes) {
    s.write(new Uint8Array([b]));
    await sleep(0);
  }
}

describe("auto-detect", () => {
  for (const [name, downstream] of [["Auto", "downstream_protocol: Auto"], ["omitted", ""]] as const) {
    for (const split of [false, true]) {
      it(`downstream_protocol ${name}${split ? ", bytes one at a time" : ""}: Bolt, Dubbo and HTTP/1 on one listener, each routed`, async () => {
        const rt = new MemoryRuntime();
        const bolt = await FakeUpstream.start(rt, BOLT_PORT);
        const dubbo = await dubboProvider(rt);
        const web = await httpUpstream(rt);
        const proxy = await startProxy(rt, yaml(downstream));
        const port = proxy.port("rpc");
        const send = (s: Socket, bytes: Uint8Array) => split ? dribble(s, bytes) : (s.write(bytes), Promise.resolve());

        const b = new BoltPeer(await rt.connect({ host: "127.0.0.1", port }));
        const d = new BoltPeer(await rt.connect({ host: "127.0.0.1", port }), { raw: true });
        const dBytes: Uint8Array[] = [];
        d.socket.ondata = (x) => dBytes.push(x);
        const h = new BoltPeer(await rt.connect({ host: "127.0.0.1", port }), { raw: true });
        await Promise.all([
          send(b.socket, boltRequest({ id: 7, headers: [["service", "com.example.Echo:1.0"]] })),
          send(d.socket, dubboRequest({ id: 7, path: "com.example.DemoService" })),
          send(h.socket, text("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")),
        ]);
        await bolt.waitFrames(1);
        bolt.conns[0]!.write(boltResponse({ id: boltId(bolt.frames[0]!), content: text("from bolt") }));
        await b.waitFrames(1);
        assert.deepEqual([boltId(b.frames[0]!), str(boltParts(b.frames[0]!).content)], [7, "from bolt"]);
        await until(() => concat(dBytes).length >= 16, "the dubbo response");
        const reply = concat(dBytes);
        assert.deepEqual([reply[0], reply[1], reply[3]], [0xda, 0xbb, 20]);
        assert.equal(new DataView(reply.buffer).getBigUint64(4), 7n);
        assert.equal(dubbo.requests.length, 1);
        await until(() => h.raw.includes("from web"), "the http response");
        assert.match(h.raw, /^HTTP\/1.1 200 OK/);
        assert.match(web[0]!, /^GET \/hello HTTP\/1.1/);
        await proxy.stop();
      });
    }
  }

  it("a listener that takes only bolt refuses HTTP by closing", async () => {
    const rt = new MemoryRuntime();
    const proxy = await startProxy(rt, yaml("downstream_protocol: bolt"), { level: "error" as "warn" });
    const h = new BoltPeer(await rt.connect({ host: "127.0.0.1", port: proxy.port("rpc") }), { raw: true });
    h.socket.write(text("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await h.waitClosed();
    await proxy.stop();
  });
});
