// Bad bytes from a client: what is answered, what closes, and that nothing else is disturbed.
import { assert, describe, it } from "../../../test/support/test-api.ts";
import { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { boltCodec } from "../../protocol/bolt/index.ts";
import { boltId, boltParts, boltRequest, boltResponse } from "../../protocol/bolt/test-helpers.ts";
import { createDefaultRegistry } from "../../registry.ts";
import { DEFAULT_XPROTOCOL_OPTIONS } from "./options.ts";
import { xprotocol } from "./protocol.ts";
import { type BoltPeer, connect, FakeUpstream, settle, startBoltProxy, until } from "./test-helpers.ts";

/** Answers every request frame the upstream gets, echoing its content. */
function echo(up: FakeUpstream): () => void {
  let answered = 0;
  const timer = setInterval(() => {
    for (const c of up.conns) {
      for (const f of c.frames.slice(answered)) {
        const p = boltParts(f);
        if (p.type === 1 && p.cmd === 1) c.write(boltResponse({ id: p.id, content: p.content }));
      }
    }
    answered = up.frames.length;
  }, 1);
  return () => clearInterval(timer);
}

async function call(c: BoltPeer, id: number): Promise<void> {
  const before = c.frames.length;
  c.write(boltRequest({ id }));
  await c.waitFrames(before + 1, `the answer to ${id}`);
  const r = boltParts(c.frames[before]!);
  assert.deepEqual([r.id, r.status], [id, 0]);
}

describe("xprotocol: malformed frames from a client", () => {
  it("a bad protocol byte closes that connection; another client's calls go on", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const stop = echo(up);
    const proxy = await startBoltProxy(rt, { level: "warn" });
    const good = await connect(rt, proxy);
    const bad = await connect(rt, proxy);
    await call(good, 1);
    await call(bad, 1);
    bad.write(new Uint8Array([0x07, 1, 0, 1]));
    await bad.waitClosed();
    await call(good, 2);
    assert.equal(proxy.stat("xprotocol.bolt.codec_errors"), 1);
    assert.equal(up.conns.length, 1);
    assert.equal(up.conns[0]!.closed || up.conns[0]!.ended, false);
    stop();
    await proxy.stop();
  });

  it("a corrupt header map gets CODEC_EXCEPTION (9) with the request's id; the connection keeps working", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const stop = echo(up);
    const proxy = await startBoltProxy(rt, { level: "warn" });
    const c = await connect(rt, proxy);
    c.write(boltRequest({ id: 31, headerBytes: new Uint8Array([0, 0, 0, 9, 0x61]) }));
    await c.waitFrames(1);
    const r = boltParts(c.frames[0]!);
    assert.deepEqual([r.type, r.cmd, r.id, r.status], [0, 2, 31, 9]);
    await call(c, 32);
    assert.equal(up.frames.length, 1, "the corrupt frame never went upstream");
    assert.equal(proxy.stat("xprotocol.bolt.codec_errors"), 1);
    stop();
    await proxy.stop();
  });

  it("a oneway request with a corrupt header map gets no answer; the connection keeps working", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const stop = echo(up);
    const proxy = await startBoltProxy(rt, { level: "error" as "warn" });
    const c = await connect(rt, proxy);
    c.write(boltRequest({ id: 41, oneway: true, headerBytes: new Uint8Array([0, 0, 0, 9, 0x61]) }));
    await until(() => proxy.stat("xprotocol.bolt.codec_errors") === 1, "the codec error");
    await call(c, 42);
    assert.equal(c.frames.length, 1);
    assert.equal(boltId(c.frames[0]!), 42);
    stop();
    await proxy.stop();
  });

  it("a truncated frame followed by close does not crash, and leaves nothing behind", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const stop = echo(up);
    const proxy = await startBoltProxy(rt, { level: "warn" });
    for (const cut of [1, 10, 22, 40]) {
      const c = await connect(rt, proxy);
      c.write(boltRequest({ id: 5 }).subarray(0, cut));
      await settle();
      c.socket.end();
      await c.waitClosed();
    }
    const c = await connect(rt, proxy);
    await call(c, 6);
    assert.equal(up.frames.length, 1);
    await until(
      () => proxy.server.stats.snapshot()["listener.rpc.downstream_cx_active"] === 1,
      "the cut connections gone",
    );
    stop();
    await proxy.stop();
  });

  it("a frame over maxFrameBytes closes the connection from its header alone", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const stop = echo(up);
    const registry = createDefaultRegistry().addProtocol(
      xprotocol(boltCodec, { ...DEFAULT_XPROTOCOL_OPTIONS, maxFrameBytes: 1024 }),
    );
    const proxy = await startBoltProxy(rt, { registry, level: "warn" });
    const c = await connect(rt, proxy);
    await call(c, 1);
    c.write(boltRequest({ id: 2, content: new Uint8Array(2000) }).subarray(0, 22));
    await c.waitClosed();
    assert.equal(up.frames.length, 1);
    assert.equal(proxy.stat("xprotocol.bolt.codec_errors"), 1);
    stop();
    await proxy.stop();
  });

  it("an exception while the proxy handles one request answers that request only; the connection goes on", async () => {
    const rt = new MemoryRuntime();
    const up = await FakeUpstream.start(rt);
    const stop = echo(up);
    // A bug on the way out: encoding a request with the header "boom" throws.
    const buggy = {
      ...boltCodec,
      encode: (frame: Parameters<typeof boltCodec.encode>[0]) => {
        if (frame.get("boom") !== undefined) throw new Error("encoder bug");
        return boltCodec.encode(frame);
      },
    };
    const registry = createDefaultRegistry().addProtocol(xprotocol(buggy, DEFAULT_XPROTOCOL_OPTIONS));
    const proxy = await startBoltProxy(rt, { registry, level: "error" });
    const c = await connect(rt, proxy);
    await call(c, 1);
    c.write(boltRequest({ id: 2, headers: [["service", "com.example.Echo:1.0"], ["boom", "1"]] }));
    await c.waitFrames(2, "the answer to the failed request");
    const failed = boltParts(c.frames[1]!);
    assert.deepEqual([failed.id, failed.status], [2, 3], "UNKNOWN (3), the mapping of a 500");
    await call(c, 3);
    assert.equal(proxy.stat("xprotocol.bolt.internal_errors"), 1);
    assert.equal(proxy.stat("http.rpc.downstream_rq_active"), 0, "the failed request gave back what it held");
    assert.ok(proxy.logs.some((l) => /bolt \[\d+,2\] request failed: Error: encoder bug/.test(l)));
    stop();
    await proxy.stop();
  });
});
