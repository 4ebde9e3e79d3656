import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { sleep, text } from "../../test/support/bytes.ts";
import type { ClusterConfig } from "../config/types.ts";
import type { Connection } from "../net/connection.ts";
import type { ConnectOptions, Runtime } from "../net/runtime.ts";
import { SocketError } from "../net/socket-error.ts";
import type { Socket } from "../net/socket.ts";
import { Stats } from "../observe/stats.ts";
import { ClusterManager } from "./cluster-manager.ts";
import { type ConnectFailure, UpstreamConnectionFactory } from "./connection-factory.ts";
import { defaultLoadBalancers } from "./lb/index.ts";
import { seededRandom } from "./lb/test-random.ts";
import type { Host } from "./types.ts";

function setup(rt: Runtime, ports: number[], connectTimeoutMs = 1000) {
  const config: ClusterConfig = {
    name: "svc",
    type: "SIMPLE",
    lbType: "LB_ROUNDROBIN",
    hosts: ports.map((port) => ({ address: { host: "127.0.0.1", port }, hostname: "", weight: 1 })),
    connectTimeoutMs,
    maxRequestPerConn: 0,
    connBufferLimitBytes: 65536,
  };
  const stats = new Stats();
  const cluster = new ClusterManager([config], defaultLoadBalancers(), seededRandom(1), stats).get("svc")!;
  return {
    cluster,
    stats,
    factory: new UpstreamConnectionFactory(rt),
    stat: (name: string) => stats.snapshot()[`cluster.svc.${name}`] ?? 0,
  };
}

async function listenOn(rt: MemoryRuntime, port: number): Promise<Socket[]> {
  const accepted: Socket[] = [];
  await rt.listen({ host: "127.0.0.1", port }, (s) => accepted.push(s));
  return accepted;
}

interface Outcome {
  connected?: { conn: Connection; host: Host };
  failure?: { reason: ConnectFailure; error: SocketError | undefined };
  attempts: string[];
}

async function settle(o: Outcome): Promise<void> {
  for (let i = 0; i < 200 && !o.connected && !o.failure; i++) await sleep(0);
}

function callbacks(o: Outcome) {
  return {
    onConnected: (conn: Connection, host: Host) => (o.connected = { conn, host }),
    onFailure: (reason: ConnectFailure, error: SocketError | undefined) => (o.failure = { reason, error }),
    onAttemptFailed: (host: Host, error: SocketError, n: number) =>
      o.attempts.push(`${n}:${host.address.port}:${error.kind}`),
  };
}

describe("UpstreamConnectionFactory", () => {
  it("counts a connection on the cluster and the host from connect to close", async () => {
    const rt = new MemoryRuntime();
    const peers = await listenOn(rt, 8100);
    const { cluster, factory, stat } = setup(rt, [8100]);
    const conn = factory.connect(cluster, cluster.hosts[0]!);
    assert.equal(conn.connecting, true);
    assert.equal(stat("upstream_cx_total"), 1);
    assert.equal(stat("upstream_cx_active"), 1);
    assert.equal(cluster.hosts[0]!.activeConnections, 1, "balancers see a connecting connection too");
    conn.write(text("hi"));
    await sleep(0);
    await sleep(0);
    assert.equal(conn.state, "open");
    assert.equal(peers.length, 1);
    conn.close("now");
    assert.equal(stat("upstream_cx_active"), 0);
    assert.equal(stat("host.127.0.0.1:8100.cx_active"), 0);
    assert.equal(stat("host.127.0.0.1:8100.cx_total"), 1);
    assert.equal(stat("upstream_cx_destroy_local"), 1);
    assert.equal(stat("upstream_cx_tx_bytes_total"), 2);
    assert.equal(stat("upstream_cx_connect_fail"), 0);
  });

  it("a refused connect counts a connect failure on the cluster and the host", async () => {
    const rt = new MemoryRuntime();
    const { cluster, factory, stat } = setup(rt, [8101]);
    const conn = factory.connect(cluster, cluster.hosts[0]!);
    await new Promise<void>((r) => conn.addConnectionCallbacks({ onClose: () => r() }));
    assert.equal(stat("upstream_cx_connect_fail"), 1);
    assert.equal(stat("host.127.0.0.1:8101.cx_connect_fail"), 1);
    assert.equal(stat("upstream_cx_active"), 0);
    assert.equal(stat("upstream_cx_destroy_local") + stat("upstream_cx_destroy_remote"), 0, "never established");
  });

  it("connectAny walks the balancer's hosts past refusals, within max attempts", async () => {
    const rt = new MemoryRuntime();
    await listenOn(rt, 8104);
    const { cluster, factory, stat } = setup(rt, [8102, 8103, 8104]);
    // Round robin starts each walk one host further on, so three walks meet 0, 1 and 2 refusals
    // in some order: three in all, whatever the first start.
    const refusals: string[] = [];
    for (let i = 0; i < 3; i++) {
      const o: Outcome = { attempts: [] };
      factory.connectAny(cluster, {}, 3, callbacks(o));
      await settle(o);
      assert.equal(o.connected?.host.address.port, 8104);
      assert.equal(o.connected?.conn.state, "open");
      assert.deepEqual(
        o.connected!.conn.attachments,
        { readFilters: 0, writeFilters: 0, callbacks: 1 },
        "only the factory's bookkeeping stays attached",
      );
      assert.equal(
        new Set(o.attempts.map((a) => a.split(":")[1])).size,
        o.attempts.length,
        "each host at most once per walk",
      );
      refusals.push(...o.attempts);
      o.connected!.conn.close("now");
    }
    assert.equal(refusals.length, 3);
    assert.ok(refusals.every((a) => /^\d:810[23]:refused$/.test(a)), refusals.join(" "));
    assert.equal(stat("upstream_cx_connect_fail"), 3);
    assert.equal(stat("upstream_cx_connect_attempts_exceeded"), 0);
  });

  it("gives up after max attempts with the last error", async () => {
    const rt = new MemoryRuntime();
    const { cluster, factory, stat } = setup(rt, [8105, 8106, 8107]);
    const o: Outcome = { attempts: [] };
    factory.connectAny(cluster, {}, 2, callbacks(o));
    await settle(o);
    assert.equal(o.failure?.reason, "attempts_exceeded");
    assert.equal(o.failure?.error?.kind, "refused");
    assert.equal(o.attempts.length, 2);
    assert.equal(stat("upstream_cx_connect_fail"), 2);
    assert.equal(stat("upstream_cx_connect_attempts_exceeded"), 1);
  });

  it("an empty cluster fails at once with no_healthy_host", () => {
    const rt = new MemoryRuntime();
    const { cluster, factory, stat } = setup(rt, []);
    const o: Outcome = { attempts: [] };
    factory.connectAny(cluster, {}, 3, callbacks(o));
    assert.equal(o.failure?.reason, "no_healthy_host");
    assert.equal(stat("upstream_cx_none_healthy"), 1);
  });

  it("a failure another host would not fix stops the walk", async () => {
    const rt = new MemoryRuntime();
    const denied: Runtime = {
      name: "memory",
      listen: (o, a) => rt.listen(o, a),
      connect: (_opts: ConnectOptions) =>
        Promise.reject(new SocketError("access_denied", "connect EACCES", { errno: "EACCES" })),
      setTimer: (ms, fn) => rt.setTimer(ms, fn),
      clearTimer: (h) => rt.clearTimer(h),
      now: () => rt.now(),
    };
    const { cluster, factory } = setup(denied, [8108, 8109]);
    const o: Outcome = { attempts: [] };
    factory.connectAny(cluster, {}, 5, callbacks(o));
    await settle(o);
    assert.equal(o.failure?.reason, "not_retryable");
    assert.equal(o.failure?.error?.errno, "EACCES");
    assert.equal(o.attempts.length, 1);
  });

  it("cancel aborts the pending connect: no callback, no failure counted, nothing active", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 8110);
    const { cluster, factory, stat } = setup(rt, [8110], 500);
    const o: Outcome = { attempts: [] };
    const attempt = factory.connectAny(cluster, {}, 1, callbacks(o));
    assert.equal(stat("upstream_cx_active"), 1);
    attempt.cancel();
    clock.advance(1000);
    await sleep(0);
    assert.equal(o.connected ?? o.failure, undefined);
    assert.deepEqual(o.attempts, []);
    assert.equal(stat("upstream_cx_active"), 0);
    assert.equal(stat("upstream_cx_connect_fail"), 0);
    assert.equal(stat("upstream_cx_connect_timeout"), 0);
  });

  it("a timeout is retryable: the walk goes on to the next host", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 8111);
    await listenOn(rt, 8112);
    const { cluster, factory, stat } = setup(rt, [8111, 8112], 500);
    // Two walks: one of them starts at the silent host, times out there and moves on.
    const attempts: string[] = [];
    for (let i = 0; i < 2; i++) {
      const o: Outcome = { attempts: [] };
      factory.connectAny(cluster, {}, 2, callbacks(o));
      await sleep(0);
      clock.advance(500);
      await settle(o);
      assert.equal(o.connected?.host.address.port, 8112);
      attempts.push(...o.attempts);
    }
    assert.deepEqual(attempts, ["1:8111:timeout"]);
    assert.equal(stat("upstream_cx_connect_timeout"), 1);
  });

  it("counts requests on the cluster and the host; least-request sees them", () => {
    const rt = new MemoryRuntime();
    const { cluster, factory, stat } = setup(rt, [8113]);
    const host = cluster.hosts[0]!;
    factory.requestStarted(cluster, host);
    factory.requestStarted(cluster, host);
    assert.equal(host.activeRequests, 2);
    factory.requestFinished(cluster, host);
    assert.equal(stat("upstream_rq_total"), 2);
    assert.equal(stat("upstream_rq_active"), 1);
    assert.equal(stat("host.127.0.0.1:8113.rq_active"), 1);
  });
});
