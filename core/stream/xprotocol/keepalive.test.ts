// Keepalive on upstream xprotocol connections, with short options on a registry of our own.
import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../../adapters/memory/index.ts";
import { boltCodec } from "../../protocol/bolt/index.ts";
import { boltId, boltParts, boltRequest, boltResponse } from "../../protocol/bolt/test-helpers.ts";
import { createDefaultRegistry } from "../../registry.ts";
import { DEFAULT_XPROTOCOL_OPTIONS, type XProtocolOptions } from "./options.ts";
import { xprotocol } from "./protocol.ts";
import { connect, FakeUpstream, settle, startBoltProxy, until } from "./test-helpers.ts";

function registry(options: Partial<XProtocolOptions>) {
  return createDefaultRegistry().addProtocol(xprotocol(boltCodec, { ...DEFAULT_XPROTOCOL_OPTIONS, ...options }));
}

const SHORT = { keepaliveIntervalMs: 1000, keepaliveTimeoutMs: 300, keepaliveFailuresToClose: 3 };

/** Moves the clock to the next keepalive tick (the upstream connected at 0: ticks at 1000, 2000, ...). */
function toNextTick(clock: ManualClock): void {
  clock.advance(1000 - (clock.now() % 1000));
}

/** A proxy with one upstream connection open and idle after one answered request. */
async function idleUpstream(clock: ManualClock) {
  const rt = new MemoryRuntime({ clock });
  const up = await FakeUpstream.start(rt);
  const proxy = await startBoltProxy(rt, { registry: registry(SHORT), level: "warn" });
  const client = await connect(rt, proxy);
  client.write(boltRequest({ id: 1, timeout: 0 }));
  await up.waitFrames(1);
  up.conns[0]!.write(boltResponse({ id: boltId(up.frames[0]!) }));
  await client.waitFrames(1);
  return { rt, up, proxy, client };
}

describe("xprotocol keepalive", () => {
  it("an idle upstream connection gets heartbeats; answered ones keep it open", async () => {
    const clock = new ManualClock();
    const { up, proxy } = await idleUpstream(clock);
    const conn = up.conns[0]!;
    // The response was read during the first interval: no heartbeat at its end.
    toNextTick(clock);
    await settle();
    assert.equal(conn.frames.length, 1);
    for (let round = 0; round < 4; round++) {
      toNextTick(clock);
      await until(() => conn.frames.length === 2 + round, `heartbeat ${round + 1}`);
      const hb = boltParts(conn.frames[1 + round]!);
      assert.deepEqual([hb.type, hb.cmd, hb.timeout], [1, 0, -1]);
      conn.write(boltCodec.heartbeatReply(boltCodec.decode(conn.frames[1 + round]!)));
      await settle();
    }
    assert.equal(conn.closed, false);
    assert.equal(proxy.stat("xprotocol.bolt.keepalive_failures"), 0);
    assert.equal(proxy.stat("xprotocol.bolt.unknown_response_ids"), 0);
    // Heartbeat ids come from the connection's own id sequence: never one a request used.
    const ids = conn.frames.map(boltId);
    assert.equal(new Set(ids).size, ids.length);
    await proxy.stop();
  });

  it("an upstream that never answers is closed after N failures; the pool opens a new connection for the next request", async () => {
    const clock = new ManualClock();
    const { up, proxy, client } = await idleUpstream(clock);
    const conn = up.conns[0]!;
    toNextTick(clock); // the interval the response was read in
    for (let n = 1; n <= 3; n++) {
      toNextTick(clock);
      await settle();
      assert.equal(proxy.stat("xprotocol.bolt.keepalive_failures"), n - 1);
      await until(() => conn.frames.length === 1 + n, `heartbeat ${n}`);
      clock.advance(300);
      await settle();
      assert.equal(proxy.stat("xprotocol.bolt.keepalive_failures"), n);
    }
    await conn.waitClosed();
    assert.equal(proxy.stat("xprotocol.bolt.keepalive_closes"), 1);
    client.write(boltRequest({ id: 2 }));
    await until(() => up.conns.length === 2 && up.conns[1]!.frames.length === 1, "a new upstream connection");
    up.conns[1]!.write(boltResponse({ id: boltId(up.conns[1]!.frames[0]!) }));
    await client.waitFrames(2);
    assert.equal(boltId(client.frames[1]!), 2);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 2);
    await proxy.stop();
  });

  it("a late heartbeat ack after its timeout is dropped as an unknown id; an answer in time resets the failure count", async () => {
    const clock = new ManualClock();
    const { up, proxy } = await idleUpstream(clock);
    const conn = up.conns[0]!;
    toNextTick(clock);
    const beats = [];
    for (let n = 1; n <= 5; n++) {
      toNextTick(clock);
      await until(() => conn.frames.length === 1 + n, `heartbeat ${n}`);
      const hb = conn.frames[n]!;
      beats.push(hb);
      if (n === 3) {
        // Answered in time: two failures, then this, so three more would be needed to close.
        conn.write(boltCodec.heartbeatReply(boltCodec.decode(hb)));
        await settle();
      } else {
        clock.advance(300);
        await settle();
      }
    }
    assert.equal(proxy.stat("xprotocol.bolt.keepalive_failures"), 4);
    assert.equal(conn.closed, false);
    conn.write(boltCodec.heartbeatReply(boltCodec.decode(beats[0]!)));
    await until(() => proxy.stat("xprotocol.bolt.unknown_response_ids") === 1, "the late ack dropped");
    await proxy.stop();
  });
});
