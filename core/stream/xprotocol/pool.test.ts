// How many upstream connections RPC streams take, and that one slow client stalls no one else.
import { assert, describe, it } from "../../../test/support/test-api.ts";
import { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { boltCodec } from "../../protocol/bolt/index.ts";
import { boltId, boltParts, boltRequest, boltResponse } from "../../protocol/bolt/test-helpers.ts";
import { createDefaultRegistry } from "../../registry.ts";
import { DEFAULT_XPROTOCOL_OPTIONS } from "./options.ts";
import { xprotocol } from "./protocol.ts";
import { type BoltPeer, connect, FakeUpstream, settle, startBoltProxy } from "./test-helpers.ts";

const text = (s: string) => new TextEncoder().encode(s);
const content = (f: Uint8Array) => new TextDecoder().decode(boltParts(f).content);

describe("xprotocol: upstream connections", () => {
  it("maxConcurrentStreams 2: a third concurrent request goes out on a second connection", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const registry = createDefaultRegistry().addProtocol(
      xprotocol(boltCodec, { ...DEFAULT_XPROTOCOL_OPTIONS, maxConcurrentStreams: 2 }),
    );
    const proxy = await startBoltProxy(rt, { registry });
    const clients = [await connect(rt, proxy), await connect(rt, proxy), await connect(rt, proxy)];
    clients.forEach((c, i) => c.write(boltRequest({ id: 1, content: text(`c${i}`) })));
    await up.waitFrames(3);
    assert.equal(up.conns.length, 2);
    assert.deepEqual(up.conns.map((c) => c.frames.length).sort(), [1, 2]);
    for (const conn of up.conns) {
      for (const f of conn.frames) conn.write(boltResponse({ id: boltId(f), content: text(`to ${content(f)}`) }));
    }
    for (const [i, c] of clients.entries()) {
      await c.waitFrames(1);
      assert.deepEqual([boltId(c.frames[0]!), content(c.frames[0]!)], [1, `to c${i}`]);
    }
    assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 2);
    await proxy.stop();
  });

  it("many client connections with few requests in flight share one upstream connection", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const clients: BoltPeer[] = [];
    for (let i = 0; i < 20; i++) clients.push(await connect(rt, proxy));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < clients.length; i += 2) {
        const pair = [clients[i]!, clients[i + 1]!];
        pair.forEach((c, k) => c.write(boltRequest({ id: round + 1, content: text(`${i + k}`) })));
        const seen = up.frames.length;
        await up.waitFrames(seen + 2);
        for (const f of up.frames.slice(seen)) {
          up.conns[0]!.write(boltResponse({ id: boltId(f), content: boltParts(f).content }));
        }
        for (const [k, c] of pair.entries()) {
          await c.waitFrames(round + 1);
          assert.deepEqual([boltId(c.frames[round]!), content(c.frames[round]!)], [round + 1, `${i + k}`]);
        }
      }
    }
    assert.equal(up.conns.length, 1);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 1);
    assert.equal(proxy.stat("cluster.backend.upstream_rq_total"), 60);
    await proxy.stop();
  });
});

describe("xprotocol: a slow client", () => {
  it("over its write buffer limit, does not pause the shared upstream connection: other clients' responses flow", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt, { bufferLimit: 4096 });
    const slow = await connect(rt, proxy);
    const fast = await connect(rt, proxy);
    slow.socket.pause();
    slow.write(boltRequest({ id: 1, content: text("slow 1") }));
    slow.write(boltRequest({ id: 2, content: text("slow 2") }));
    await up.waitFrames(2);
    const conn = up.conns[0]!;
    const [s1, s2] = conn.frames.map(boltId);
    // A big answer the slow client does not read: the proxy's buffer to it goes over the limit
    // while its second request is still in flight on the shared connection.
    conn.write(boltResponse({ id: s1!, content: new Uint8Array(256 * 1024).fill(7) }));
    await settle(20);
    for (let i = 0; i < 5; i++) {
      fast.write(boltRequest({ id: 10 + i, content: text(`fast ${i}`) }));
      await up.waitFrames(3 + i);
      conn.write(boltResponse({ id: boltId(conn.frames[2 + i]!), content: text(`to fast ${i}`) }));
      await fast.waitFrames(i + 1, `fast answer ${i}`);
      assert.deepEqual([boltId(fast.frames[i]!), content(fast.frames[i]!)], [10 + i, `to fast ${i}`]);
    }
    assert.equal(slow.frames.length, 0);
    // Meanwhile the slow client's own requests are not read: nothing more of it goes upstream.
    slow.write(boltRequest({ id: 3, content: text("slow 3") }));
    await settle(20);
    assert.equal(conn.frames.length, 7, "slow 3 waits in the client's connection");
    conn.write(boltResponse({ id: s2!, content: text("to slow 2") }));
    await settle(20);
    slow.socket.resume();
    await up.waitFrames(8);
    conn.write(boltResponse({ id: boltId(conn.frames[7]!), content: text("to slow 3") }));
    await slow.waitFrames(3);
    assert.deepEqual(slow.frames.map(boltId), [1, 2, 3]);
    assert.equal(boltParts(slow.frames[0]!).content.length, 256 * 1024);
    assert.equal(content(slow.frames[1]!), "to slow 2");
    assert.equal(up.conns.length, 1);
    await proxy.stop();
  });
});
