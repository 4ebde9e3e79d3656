// The xprotocol stream layer through the proxy on MemoryRuntime: a bolt listener in front of a
// raw upstream that answers when the test says.
import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../../adapters/memory/index.ts";
import { equalBytes } from "../../../test/support/bytes.ts";
import { boltCodec } from "../../protocol/bolt/index.ts";
import { boltId, boltParts, boltRequest, boltResponse } from "../../protocol/bolt/test-helpers.ts";
import { connect, FakeUpstream, settle, startBoltProxy, until } from "./test-helpers.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("xprotocol: request ids", () => {
  it("two clients both using id 7: distinct ids upstream on one connection, answers out of order reach their own client with its own id", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const a = await connect(rt, proxy);
    const b = await connect(rt, proxy);
    a.write(boltRequest({ id: 7, content: text("from a") }));
    b.write(boltRequest({ id: 7, content: text("from b") }));
    await up.waitFrames(2);
    assert.equal(up.conns.length, 1);
    const [fa, fb] = up.frames.map((f) => boltParts(f));
    assert.notEqual(fa!.id, fb!.id);
    const byContent = new Map(up.frames.map((f) => [new TextDecoder().decode(boltParts(f).content), boltId(f)]));
    // Answered in the other order, each with the upstream id its request came with.
    up.conns[0]!.write(boltResponse({ id: byContent.get("from b")!, content: text("to b") }));
    up.conns[0]!.write(boltResponse({ id: byContent.get("from a")!, content: text("to a") }));
    await a.waitFrames(1);
    await b.waitFrames(1);
    await settle();
    assert.equal(a.frames.length, 1);
    assert.equal(b.frames.length, 1);
    assert.deepEqual([boltId(a.frames[0]!), new TextDecoder().decode(boltParts(a.frames[0]!).content)], [7, "to a"]);
    assert.deepEqual([boltId(b.frames[0]!), new TextDecoder().decode(boltParts(b.frames[0]!).content)], [7, "to b"]);
    // The second round from the same clients goes out on the same connection with fresh ids.
    a.write(boltRequest({ id: 8 }));
    await up.waitFrames(3);
    assert.equal(up.conns.length, 1);
    assert.ok(![fa!.id, fb!.id].includes(boltId(up.frames[2]!)));
    assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 1);
    assert.equal(proxy.stat("cluster.backend.upstream_rq_total"), 3);
    assert.equal(proxy.stat("xprotocol.bolt.unknown_response_ids"), 0);
    await proxy.stop();
  });

  it("a response for an unknown id is dropped and counted; no client hears of it", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const a = await connect(rt, proxy);
    a.write(boltRequest({ id: 1 }));
    await up.waitFrames(1);
    const wire = boltId(up.frames[0]!);
    up.conns[0]!.write(boltResponse({ id: wire + 1000 }));
    await until(() => proxy.stat("xprotocol.bolt.unknown_response_ids") === 1, "the unknown id counted");
    await settle();
    assert.equal(a.frames.length, 0);
    // The real answer still goes through.
    up.conns[0]!.write(boltResponse({ id: wire }));
    await a.waitFrames(1);
    assert.equal(boltId(a.frames[0]!), 1);
    await proxy.stop();
  });
});

describe("xprotocol: oneway", () => {
  it("is forwarded and never tracked: a reply the upstream sends anyway is dropped as an unknown id", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const a = await connect(rt, proxy);
    a.write(boltRequest({ id: 5, oneway: true, content: text("fire") }));
    await up.waitFrames(1);
    const f = boltParts(up.frames[0]!);
    assert.equal(f.type, 2);
    assert.equal(new TextDecoder().decode(f.content), "fire");
    up.conns[0]!.write(boltResponse({ id: f.id }));
    await until(() => proxy.stat("xprotocol.bolt.unknown_response_ids") === 1, "the reply dropped");
    await settle();
    assert.equal(a.frames.length, 0);
    assert.equal(a.closed, false);
    // Nothing is left in flight: the proxy's own stream is over.
    assert.equal(proxy.server.stats.snapshot()["http.rpc.downstream_rq_active"], 0);
    await proxy.stop();
  });
});

describe("xprotocol: heartbeats", () => {
  it("a client's heartbeat is answered by the proxy, exact bytes, and never reaches the upstream", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const a = await connect(rt, proxy);
    const hb = boltRequest({ cmd: 0, id: 0x0a0b0c0d, className: "", headers: [], content: new Uint8Array(0) });
    a.write(hb);
    await a.waitFrames(1);
    assert.deepEqual([...a.frames[0]!], [1, 0, 0, 0, 1, 0x0a, 0x0b, 0x0c, 0x0d, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await settle();
    assert.equal(up.conns.length, 0);
    assert.equal(proxy.stat("xprotocol.bolt.heartbeats_answered"), 1);
    await proxy.stop();
  });

  it("the upstream's heartbeat is answered by the proxy on that connection", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const a = await connect(rt, proxy);
    a.write(boltRequest({ id: 1 }));
    await up.waitFrames(1);
    up.conns[0]!.write(boltCodec.heartbeat(4242));
    await up.waitFrames(2);
    assert.ok(equalBytes(up.frames[1]!, boltCodec.heartbeatReply(boltCodec.decode(boltCodec.heartbeat(4242)))));
    assert.deepEqual(boltParts(up.frames[1]!).id, 4242);
    assert.equal(proxy.stat("xprotocol.bolt.heartbeats_answered"), 1);
    await settle();
    assert.equal(a.frames.length, 0);
    await proxy.stop();
  });
});

describe("xprotocol: upstream failures", () => {
  for (const how of ["end", "destroy"] as const) {
    it(`the upstream connection closing (${how}) with 3 requests in flight: each client gets NO_PROCESSOR with its own id, at once`, async () => {
      const rt = new MemoryRuntime();
      const up = await FakeUpstream.start(rt);
      const proxy = await startBoltProxy(rt);
      const clients = [await connect(rt, proxy), await connect(rt, proxy), await connect(rt, proxy)];
      clients.forEach((c, i) => c.write(boltRequest({ id: 100 + i })));
      await up.waitFrames(3);
      assert.equal(up.conns.length, 1);
      up.conns[0]!.socket[how]();
      for (const c of clients) await c.waitFrames(1);
      clients.forEach((c, i) => {
        const r = boltParts(c.frames[0]!);
        assert.deepEqual([r.type, r.cmd, r.id, r.status], [0, 2, 100 + i, 6]);
        assert.equal(c.closed, false);
      });
      // The next request opens a new upstream connection.
      clients[0]!.write(boltRequest({ id: 200 }));
      await until(() => up.conns.length === 2 && up.conns[1]!.frames.length === 1, "a new upstream connection");
      await proxy.stop();
    });
  }

  it("the route's timeout gives TIMEOUT (7); a late response is dropped and counted", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt, { timeout: "2s" });
    const a = await connect(rt, proxy);
    a.write(boltRequest({ id: 9, timeout: 60_000 })); // the route's timeout wins
    await up.waitFrames(1);
    clock.advance(1999);
    await settle();
    assert.equal(a.frames.length, 0);
    clock.advance(1);
    await a.waitFrames(1);
    assert.deepEqual([boltParts(a.frames[0]!).id, boltParts(a.frames[0]!).status], [9, 7]);
    assert.equal(proxy.stat("cluster.backend.upstream_rq_timeout"), 1);
    up.conns[0]!.write(boltResponse({ id: boltId(up.frames[0]!) }));
    await until(() => proxy.stat("xprotocol.bolt.unknown_response_ids") === 1, "the late response dropped");
    await settle();
    assert.equal(a.frames.length, 1);
    await proxy.stop();
  });

  it("without a route timeout the request's own bolt timeout applies", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const a = await connect(rt, proxy);
    a.write(boltRequest({ id: 3, timeout: 500 }));
    await up.waitFrames(1);
    clock.advance(499);
    await settle();
    assert.equal(a.frames.length, 0);
    clock.advance(1);
    await a.waitFrames(1);
    assert.deepEqual([boltParts(a.frames[0]!).id, boltParts(a.frames[0]!).status], [3, 7]);
    up.conns[0]!.write(boltResponse({ id: boltId(up.frames[0]!) }));
    await until(() => proxy.stat("xprotocol.bolt.unknown_response_ids") === 1, "the late response dropped");
    await proxy.stop();
  });
});

describe("xprotocol: graceful stop", () => {
  it("a drain closes an idle connection at once, and a busy one after its last answer", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const proxy = await startBoltProxy(rt);
    const idle = await connect(rt, proxy);
    const busy = await connect(rt, proxy);
    idle.write(boltRequest({ id: 1 }));
    await up.waitFrames(1);
    up.conns[0]!.write(boltResponse({ id: boltId(up.frames[0]!) }));
    await idle.waitFrames(1);
    busy.write(boltRequest({ id: 2 }));
    await up.waitFrames(2);
    await proxy.server.closeListeners();
    await idle.waitClosed();
    await settle();
    assert.equal(busy.closed || busy.ended, false, "the request in flight keeps its connection");
    up.conns[0]!.write(boltResponse({ id: boltId(up.frames[1]!) }));
    await busy.waitFrames(1);
    assert.equal(boltId(busy.frames[0]!), 2);
    await busy.waitClosed();
    await proxy.server.whenIdle();
    await proxy.stop();
  });
});
