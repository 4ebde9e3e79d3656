// SOFARPC over Bolt through the proxy with real peers (sofa-rpc-node's client and server, as
// node processes) on the runtime running this file: MOSN's sofarpc-with-xprotocol-sample shape,
// one proxy and two chained, many calls multiplexed over few upstream connections with their
// request ids rewritten, heartbeats answered at the hop, errors as Bolt responses.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startProxy } from "../support/proxy.ts";
import { killPeers, runBoltClient, startBoltServer } from "../support/rpc-peers.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

/** A bolt listener routing every service to `hosts` (MOSN's sample, ports changed). */
function boltYaml(hosts: string[], extra = ""): string {
  return `
servers:
  - listeners:
      - name: bolt
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config:
                  downstream_protocol: X
                  upstream_protocol: X
                  extend_config: { sub_protocol: bolt }
                  router_config_name: rpc
    routers:
      - router_config_name: rpc
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
${extra}
              - match: { headers: [{ name: service, value: ".*" }] }
                route: { cluster_name: backend }
cluster_manager:
  clusters:
    - name: backend
      lb_type: LB_ROUNDROBIN
      hosts: [${hosts.map((h) => `{ address: "${h}" }`).join(", ")}]
`;
}

describe(`bolt through the proxy on ${runtimeName()}`, () => {
  after(killPeers);

  it("real SOFARPC calls: 300 calls, 30 in flight from 6 client connections, over one upstream connection", async () => {
    const server = await startBoltServer({ name: "S" });
    const proxy = await startProxy(await nativeRuntime(), boltYaml([server.address]));
    try {
      const r = await runBoltClient(`127.0.0.1:${proxy.port("bolt")}`, { calls: 300, concurrency: 30, connections: 6 });
      assert.equal(r.ok, 300, JSON.stringify(r.errors));
      assert.equal(r.mismatches, 0);
      assert.deepEqual(r.by, { S: 300 });
      assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 1);
    } finally {
      await proxy.stop();
      const stats = await server.stop();
      assert.equal(stats?.requests, 300);
      assert.equal(stats?.connections, 1);
    }
  });

  it("two chained proxies (client side -> server side -> provider), as in MOSN's sample", async () => {
    const server = await startBoltServer({ name: "P" });
    const rt = await nativeRuntime();
    const serverSide = await startProxy(rt, boltYaml([server.address]));
    const clientSide = await startProxy(rt, boltYaml([`127.0.0.1:${serverSide.port("bolt")}`]));
    try {
      const r = await runBoltClient(`127.0.0.1:${clientSide.port("bolt")}`, {
        calls: 100,
        concurrency: 20,
        connections: 3,
      });
      assert.equal(r.ok, 100, JSON.stringify(r.errors));
      assert.equal(r.mismatches, 0);
      assert.equal(clientSide.stat("cluster.backend.upstream_cx_total"), 1);
      assert.equal(serverSide.stat("cluster.backend.upstream_cx_total"), 1);
    } finally {
      await clientSide.stop();
      await serverSide.stop();
      await server.stop();
    }
  });

  it("routes by service: an unrouted service gets a Bolt error response, the connection goes on", async () => {
    const server = await startBoltServer({ name: "S" });
    // Only TestService is routed; any other service has no route.
    const yaml = boltYaml([server.address]).replace('value: ".*"', 'value: "com.alipay.test.TestService:1.0"');
    const proxy = await startProxy(await nativeRuntime(), yaml);
    try {
      const addr = `127.0.0.1:${proxy.port("bolt")}`;
      const nope = await runBoltClient(addr, { calls: 2, service: "com.alipay.test.Nope" });
      assert.equal(nope.ok, 0);
      assert.equal(nope.errorCount, 2);
      assert.match(nope.errors[0]!.message, /RpcServerException: no route for this request/);
      const ok = await runBoltClient(addr, { calls: 10, concurrency: 5 });
      assert.equal(ok.ok, 10, JSON.stringify(ok.errors));
      assert.equal(proxy.stat("http.bolt.no_route"), 2);
    } finally {
      await proxy.stop();
      await server.stop();
    }
  });

  it("oneway calls go through untracked; the server's reply to them is dropped at the proxy", async () => {
    const server = await startBoltServer({ name: "O" });
    const proxy = await startProxy(await nativeRuntime(), boltYaml([server.address]));
    try {
      const r = await runBoltClient(`127.0.0.1:${proxy.port("bolt")}`, { mode: "oneway", calls: 3 });
      assert.equal(r.ok, 1, JSON.stringify(r.errors));
      assert.equal(r.onewaySent, 3);
      // Directly, the client sees the server's 3 stray replies; through the proxy their ids
      // match nothing in flight and they stop there.
      assert.equal(r.unexpectedResponses, 0);
      assert.equal(proxy.stat("xprotocol.bolt.unknown_response_ids"), 3);
    } finally {
      await proxy.stop();
      assert.equal((await server.stop())?.requests, 4);
    }
  });

  it("an idle client's heartbeats are answered by the proxy and never reach the server", async () => {
    const server = await startBoltServer({ name: "H" });
    const proxy = await startProxy(await nativeRuntime(), boltYaml([server.address]));
    try {
      const r = await runBoltClient(`127.0.0.1:${proxy.port("bolt")}`, {
        mode: "idle",
        idle: 1.5,
        "heartbeat-ms": 300,
      });
      assert.equal(r.ok, 2, JSON.stringify(r.errors));
      assert.ok(r.heartbeats!.sent >= 1, `heartbeats sent: ${r.heartbeats!.sent}`);
      assert.equal(r.heartbeats!.acked, r.heartbeats!.sent);
      assert.equal(proxy.stat("xprotocol.bolt.heartbeats_answered"), r.heartbeats!.sent);
    } finally {
      await proxy.stop();
      assert.equal((await server.stop())?.heartbeats, 0);
    }
  });

  it("a server that dies mid-call: every call in flight fails at once with a Bolt error", async () => {
    const server = await startBoltServer({ name: "X" });
    const proxy = await startProxy(await nativeRuntime(), boltYaml([server.address]));
    try {
      const calls = runBoltClient(`127.0.0.1:${proxy.port("bolt")}`, {
        calls: 4,
        concurrency: 4,
        method: "slow",
        arg: 5000,
        timeout: 8000,
      });
      await new Promise((r) => setTimeout(r, 500));
      await server.stop();
      const r = await calls;
      assert.equal(r.ok, 0);
      assert.equal(r.errorCount, 4);
      assert.ok(r.elapsedMs < 4000, `took ${r.elapsedMs} ms`);
      assert.match(r.errors[0]!.message, /RpcServerException: upstream reset/);
    } finally {
      await proxy.stop();
    }
  });

  it("a dead host is skipped: connect failures are retried on the next host of the balancer", async () => {
    const server = await startBoltServer({ name: "L" });
    // A port nothing listens on: bound and closed again by the OS for us.
    const dead = await startBoltServer({ name: "D" });
    const deadAddress = dead.address;
    await dead.stop();
    const proxy = await startProxy(await nativeRuntime(), boltYaml([deadAddress, server.address]));
    try {
      const r = await runBoltClient(`127.0.0.1:${proxy.port("bolt")}`, { calls: 20, concurrency: 5 });
      assert.equal(r.ok, 20, JSON.stringify(r.errors));
      assert.deepEqual(r.by, { L: 20 });
      assert.ok(proxy.stat("cluster.backend.upstream_rq_retry") >= 1);
    } finally {
      await proxy.stop();
      await server.stop();
    }
  });

  it("Bolt v2 (boltv2), with and without CRC32: ids rewritten and each frame's CRC recomputed", async () => {
    const server = await startBoltServer({ name: "V" });
    const yaml = boltYaml([server.address]).replace("sub_protocol: bolt }", "sub_protocol: boltv2 }");
    const proxy = await startProxy(await nativeRuntime(), yaml);
    try {
      const addr = `127.0.0.1:${proxy.port("bolt")}`;
      for (const crc of [false, true]) {
        const r = await runBoltClient(addr, { calls: 60, concurrency: 20, connections: 3, "bolt-version": 2, crc });
        assert.equal(r.ok, 60, JSON.stringify(r.errors));
        assert.equal(r.mismatches, 0);
      }
      const nope = await runBoltClient(addr, {
        calls: 1,
        service: "com.alipay.test.Nope",
        "bolt-version": 2,
        crc: true,
      });
      assert.equal(nope.ok, 0);
      assert.equal(proxy.stat("xprotocol.boltv2.codec_errors"), 0);
      assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 1);
    } finally {
      await proxy.stop();
      assert.equal((await server.stop())?.requests, 121);
    }
  });
});
