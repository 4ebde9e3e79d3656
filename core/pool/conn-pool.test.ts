import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { sleep, str, text, withTimeout } from "../../test/support/bytes.ts";
import type { ClusterConfig } from "../config/types.ts";
import type { Socket } from "../net/socket.ts";
import { Stats } from "../observe/stats.ts";
import { DEFAULT_HTTP1_LIMITS } from "../protocol/http1/limits.ts";
import { HeaderMap } from "../stream/header-map.ts";
import { Http1ClientCodec } from "../stream/http1/client-codec.ts";
import type { ClientCodec, ClientStream, MessageListener } from "../stream/types.ts";
import { ClusterManager } from "../upstream/cluster-manager.ts";
import { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import { defaultLoadBalancers } from "../upstream/lb/index.ts";
import { seededRandom } from "../upstream/lb/test-random.ts";
import { ConnPool, type ConnPoolLimits, DEFAULT_POOL_LIMITS, type PoolFailure } from "./conn-pool.ts";

/**
 * An HTTP/1 upstream on the memory network that answers each request head with `ok`, or holds
 * the answers until `release()` when `hold` is set.
 */
async function httpUpstream(rt: MemoryRuntime, port: number, opts: { hold?: boolean; close?: boolean } = {}) {
  const sockets: Socket[] = [];
  const held: (() => void)[] = [];
  await rt.listen({ host: "127.0.0.1", port }, (s) => {
    sockets.push(s);
    let seen = "";
    s.ondata = (b) => {
      seen += str(b);
      while (seen.includes("\r\n\r\n")) {
        seen = seen.slice(seen.indexOf("\r\n\r\n") + 4);
        const answer = () =>
          s.write(text(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${opts.close ? "Connection: close\r\n" : ""}\r\nok`));
        if (opts.hold) held.push(answer);
        else answer();
      }
    };
    s.onend = () => s.end();
  });
  return { sockets, release: () => held.splice(0).forEach((f) => f()) };
}

function setup(
  rt: MemoryRuntime,
  port: number,
  limits: Partial<ConnPoolLimits> = {},
  codec?: (c: import("../net/connection.ts").Connection) => ClientCodec,
) {
  const config: ClusterConfig = {
    name: "web",
    type: "SIMPLE",
    lbType: "LB_ROUNDROBIN",
    hosts: [{ address: { host: "127.0.0.1", port }, hostname: "", weight: 1 }],
    connectTimeoutMs: 1000,
    maxRequestPerConn: 0,
    connBufferLimitBytes: 65536,
  };
  const stats = new Stats();
  const cluster = new ClusterManager([config], defaultLoadBalancers(), seededRandom(1), stats).get("web")!;
  const pool = new ConnPool(
    cluster,
    cluster.hosts[0]!,
    new UpstreamConnectionFactory(rt),
    codec ?? ((c) => new Http1ClientCodec(c, DEFAULT_HTTP1_LIMITS)),
    {
      ...DEFAULT_POOL_LIMITS,
      ...limits,
    },
  );
  return { pool, stats };
}

interface Exchange {
  ready: boolean;
  failure: PoolFailure | undefined;
  body: string;
  done: boolean;
  stream: ClientStream | undefined;
}

/** Sends one GET through the pool; the result fills in as it happens. */
function get(pool: ConnPool): Exchange & { cancel?: () => void } {
  const ex: Exchange & { cancel?: () => void } = {
    ready: false,
    failure: undefined,
    body: "",
    done: false,
    stream: undefined,
  };
  const listener: MessageListener = {
    onHeaders: (_h, end) => (ex.done = end),
    onData: (c, end) => ((ex.body += str(c)), (ex.done = end)),
    onTrailers: () => (ex.done = true),
  };
  const pending = pool.newStream(listener, {
    onPoolReady(stream) {
      ex.ready = true;
      ex.stream = stream;
      const h = new HeaderMap();
      h.add(":method", "GET");
      h.add(":authority", "web");
      h.add(":path", "/");
      stream.sendHeaders(h, true);
    },
    onPoolFailure(reason) {
      ex.failure = reason;
    },
  });
  if (pending) ex.cancel = () => pending.cancel();
  return ex;
}

const until = (cond: () => boolean, what: string) =>
  withTimeout(
    (async () => {
      while (!cond()) await sleep(0);
    })(),
    2000,
    what,
  );

describe("ConnPool", () => {
  it("opens a connection for the first request and reuses it for the next (keep-alive)", async () => {
    const rt = new MemoryRuntime();
    const up = await httpUpstream(rt, 9100);
    const { pool, stats } = setup(rt, 9100);
    const first = get(pool);
    assert.equal(first.ready, false, "queued until connected");
    assert.equal(pool.pending, 1);
    await until(() => first.done, "first response");
    assert.equal(first.body, "ok");
    const second = get(pool);
    assert.equal(second.ready, true, "a ready idle connection serves at once");
    await until(() => second.done, "second response");
    assert.equal(up.sockets.length, 1);
    assert.equal(stats.snapshot()["cluster.web.upstream_cx_total"], 1);
    assert.equal(pool.connections, 1);
  });

  it("capacity 1: concurrent requests get their own connections, up to max connections, then queue", async () => {
    const rt = new MemoryRuntime();
    const up = await httpUpstream(rt, 9101, { hold: true });
    const { pool } = setup(rt, 9101, { maxConnections: 2 });
    const a = get(pool);
    const b = get(pool);
    const c = get(pool);
    await until(() => a.ready && b.ready, "two connections");
    assert.equal(c.ready, false, "the third waits: max connections reached");
    assert.equal(pool.pending, 1);
    assert.equal(up.sockets.length, 2);
    up.release();
    await until(() => c.ready, "the third takes the first connection that frees");
    up.release();
    await until(() => a.done && b.done && c.done, "all answered");
    assert.equal(up.sockets.length, 2);
  });

  it("overflow when the pending queue is full, said at once", async () => {
    const rt = new MemoryRuntime();
    await httpUpstream(rt, 9102, { hold: true });
    const { pool } = setup(rt, 9102, { maxConnections: 1, maxPendingRequests: 1 });
    const first = get(pool);
    await until(() => first.ready, "first on the one connection");
    const queued = get(pool);
    assert.equal(queued.failure, undefined);
    const rejected = get(pool);
    assert.equal(rejected.failure, "overflow");
  });

  it("a refused connect fails its waiters with connection_failure", async () => {
    const rt = new MemoryRuntime();
    const { pool, stats } = setup(rt, 9103);
    const a = get(pool);
    await until(() => a.failure !== undefined, "failure");
    assert.equal(a.failure, "connection_failure");
    assert.equal(pool.connections, 0);
    assert.equal(stats.snapshot()["cluster.web.upstream_cx_connect_fail"], 1);
  });

  it("a connect timeout fails its waiters with connect_timeout", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 9104);
    const { pool } = setup(rt, 9104);
    const a = get(pool);
    clock.advance(1000);
    await until(() => a.failure !== undefined, "failure");
    assert.equal(a.failure, "connect_timeout");
  });

  it("a cancelled waiter is never served", async () => {
    const rt = new MemoryRuntime();
    await httpUpstream(rt, 9105);
    const { pool } = setup(rt, 9105);
    const a = get(pool);
    a.cancel!();
    assert.equal(pool.pending, 0);
    await sleep(0);
    await sleep(0);
    assert.equal(a.ready, false);
  });

  it("a connection the upstream closes after its response is not reused", async () => {
    const rt = new MemoryRuntime();
    const up = await httpUpstream(rt, 9106, { close: true });
    const { pool } = setup(rt, 9106);
    const a = get(pool);
    await until(() => a.done, "first");
    const b = get(pool);
    await until(() => b.done, "second");
    assert.equal(up.sockets.length, 2);
  });

  it("an idle connection the upstream half-closes is dropped; the next request opens a new one", async () => {
    const rt = new MemoryRuntime();
    const up = await httpUpstream(rt, 9110);
    const { pool } = setup(rt, 9110);
    const a = get(pool);
    await until(() => a.done, "first");
    up.sockets[0]!.end(); // a keep-alive timeout on the server's side: FIN, no Connection: close
    await until(() => pool.connections === 0, "the half-closed connection leaves the pool");
    const b = get(pool);
    await until(() => b.done, "second, on a fresh connection");
    assert.equal(b.body, "ok");
    assert.equal(up.sockets.length, 2);
  });

  it("max requests per connection closes a connection after its share", async () => {
    const rt = new MemoryRuntime();
    const up = await httpUpstream(rt, 9107);
    const { pool } = setup(rt, 9107, { maxRequestsPerConnection: 2 });
    for (let i = 0; i < 3; i++) {
      const ex = get(pool);
      await until(() => ex.done, `request ${i}`);
      await sleep(0);
    }
    assert.equal(up.sockets.length, 2);
  });

  it("an idle connection closes after the idle timeout", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    await httpUpstream(rt, 9108);
    const { pool } = setup(rt, 9108, { idleTimeoutMs: 5000 });
    const a = get(pool);
    await until(() => a.done, "response");
    await sleep(0);
    assert.equal(pool.connections, 1);
    clock.advance(5000);
    await until(() => pool.connections === 0, "idle close");
  });

  it("closeIdle closes the idle connections only, and the pool still serves", async () => {
    const rt = new MemoryRuntime();
    const up = await httpUpstream(rt, 9112, { hold: true });
    const { pool } = setup(rt, 9112);
    const a = get(pool);
    const b = get(pool);
    await until(() => a.ready && b.ready && up.sockets.length === 2, "two connections");
    up.release();
    await until(() => a.done && b.done, "both answered");
    const busy = get(pool);
    await until(() => busy.ready, "a connection reused");
    pool.closeIdle();
    await until(() => pool.connections === 1, "the idle connection closed");
    up.release();
    await until(() => busy.done, "the busy one answered");
    assert.equal(busy.body, "ok");
    const next = get(pool);
    await until(() => next.ready, "served after closeIdle");
    up.release();
    await until(() => next.done, "answered");
  });

  it("a multiplexed codec carries several streams on one connection", async () => {
    const rt = new MemoryRuntime();
    await httpUpstream(rt, 9109, { hold: true });
    let active = 0;
    const streams: ClientStream[] = [];
    const fake = (): ClientCodec => {
      const codec: ClientCodec = {
        capacity: 3,
        reusable: true,
        onStreamDone: null,
        get activeStreams() {
          return active;
        },
        newStream() {
          active++;
          const s = { id: streams.length + 1 } as ClientStream;
          streams.push(s);
          return s;
        },
        dispatch() {},
        endOfInput() {},
      };
      return codec;
    };
    const { pool } = setup(rt, 9109, {}, fake);
    const ready: number[] = [];
    for (let i = 0; i < 4; i++) {
      pool.newStream({ onHeaders() {}, onData() {}, onTrailers() {} }, {
        onPoolReady: (s) => ready.push(s.id),
        onPoolFailure() {},
      });
    }
    await until(() => ready.length === 3, "three on the first connection");
    assert.equal(pool.connections, 2, "the fourth opened a second connection");
  });

  it("on a multiplexed codec, max requests per connection caps the streams in flight, never closes it", async () => {
    const rt = new MemoryRuntime();
    await httpUpstream(rt, 9110, { hold: true });
    let active = 0;
    let codec: ClientCodec | undefined;
    const fake = (): ClientCodec => {
      codec = {
        capacity: 1024,
        reusable: true,
        onStreamDone: null,
        get activeStreams() {
          return active;
        },
        newStream() {
          active++;
          return { id: active } as ClientStream;
        },
        dispatch() {},
        endOfInput() {},
      };
      return codec;
    };
    const { pool } = setup(rt, 9110, { maxRequestsPerConnection: 2, maxConnections: 1 }, fake);
    let ready = 0;
    const ask = () =>
      pool.newStream({ onHeaders() {}, onData() {}, onTrailers() {} }, {
        onPoolReady: () => ready++,
        onPoolFailure() {},
      });
    for (let i = 0; i < 3; i++) ask();
    await until(() => ready === 2, "two in flight");
    assert.equal(pool.pending, 1, "the third waits for room");
    // Streams finish one after another, far past 2 requests: the one connection goes on serving.
    for (let i = 0; i < 5; i++) {
      active--;
      codec!.onStreamDone!({ id: 0 } as ClientStream);
      if (i < 4) ask();
    }
    await until(() => ready === 7, "every request served");
    assert.equal(pool.connections, 1);
  });
});
