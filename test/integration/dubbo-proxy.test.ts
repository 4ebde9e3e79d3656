// Dubbo through the proxy with real peers on the runtime running this file: dubbo2.js's consumer
// and a hessian.js-built provider (npm has no registry-free Dubbo provider), as node processes.
// The seed's example: consumer -> client-side proxy -> server-side proxy -> provider.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startProxy } from "../support/proxy.ts";
import { killPeers, runDubboConsumer, startDubboProvider } from "../support/rpc-peers.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

const SERVICE = "org.apache.dubbo.demo.DemoService";

/** MOSN's examples/codes/dubbo config shape, ports changed; `service` routes to `hosts`. */
function dubboYaml(hosts: string[], service = ".*"): string {
  return `
servers:
  - listeners:
      - name: dubbo
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config:
                  downstream_protocol: X
                  upstream_protocol: X
                  extend_config: { sub_protocol: dubbo }
                  router_config_name: rpc
    routers:
      - router_config_name: rpc
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { headers: [{ name: service, value: "${service}" }] }
                route: { cluster_name: backend }
cluster_manager:
  clusters:
    - name: backend
      lb_type: LB_RANDOM
      max_request_per_conn: 1024
      hosts: [${hosts.map((h) => `{ address: "${h}" }`).join(", ")}]
`;
}

describe(`dubbo through the proxy on ${runtimeName()}`, () => {
  after(killPeers);

  it("dubbo2.js: 200 calls, 20 in flight from 4 connections, over one upstream connection", async () => {
    const provider = await startDubboProvider({ name: "D" });
    const proxy = await startProxy(await nativeRuntime(), dubboYaml([provider.address]));
    try {
      const r = await runDubboConsumer(`127.0.0.1:${proxy.port("dubbo")}`, {
        calls: 200,
        concurrency: 20,
        connections: 4,
      });
      assert.equal(r.ok, 200, JSON.stringify(r.errors));
      assert.equal(r.mismatches, 0);
      assert.deepEqual(r.by, { D: 200 });
      assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 1);
    } finally {
      await proxy.stop();
      const stats = await provider.stop();
      assert.deepEqual([stats?.requests, stats?.connections], [200, 1]);
    }
  });

  it("the seed's chain: consumer -> client-side proxy -> server-side proxy -> provider, attachments intact", async () => {
    const provider = await startDubboProvider({ name: "P", group: "blue" });
    const rt = await nativeRuntime();
    const serverSide = await startProxy(rt, dubboYaml([provider.address], SERVICE));
    const clientSide = await startProxy(rt, dubboYaml([`127.0.0.1:${serverSide.port("dubbo")}`], SERVICE));
    try {
      const addr = `127.0.0.1:${clientSide.port("dubbo")}`;
      const r = await runDubboConsumer(addr, { calls: 50, concurrency: 10, connections: 2, group: "blue" });
      assert.equal(r.ok, 50, JSON.stringify(r.errors));
      const seen = await runDubboConsumer(addr, {
        calls: 1,
        method: "getAttachments",
        group: "blue",
        attachments: "traceId=t-9",
      });
      const a = seen.sample[0] as Record<string, unknown>;
      assert.deepEqual([a.traceId, a.group, a.interface], ["t-9", "blue", SERVICE]);
    } finally {
      await clientSide.stop();
      await serverSide.stop();
      await provider.stop();
    }
  });

  it("routes by service: another service gets a Dubbo error response the consumer can read", async () => {
    const provider = await startDubboProvider({ name: "P" });
    const proxy = await startProxy(await nativeRuntime(), dubboYaml([provider.address], "org.example.Other"));
    try {
      const r = await runDubboConsumer(`127.0.0.1:${proxy.port("dubbo")}`, { calls: 3, concurrency: 3 });
      assert.equal(r.ok, 0);
      assert.equal(r.errorCount, 3);
      assert.match(r.errors[0]!.message, /no route for this request/);
      assert.equal(proxy.stat("http.dubbo.no_route"), 3);
    } finally {
      await proxy.stop();
      assert.equal((await provider.stop())?.requests, 0);
    }
  });

  it("provider heartbeats are answered by the proxy, not passed to consumers", async () => {
    const provider = await startDubboProvider({ name: "H", "heartbeat-ms": 50 });
    const proxy = await startProxy(await nativeRuntime(), dubboYaml([provider.address]));
    try {
      const r = await runDubboConsumer(`127.0.0.1:${proxy.port("dubbo")}`, {
        calls: 6,
        concurrency: 3,
        method: "slow",
        arg: 150,
      });
      assert.equal(r.ok, 6, JSON.stringify(r.errors));
      assert.ok(proxy.stat("xprotocol.dubbo.heartbeats_answered") >= 1);
    } finally {
      await proxy.stop();
      const stats = await provider.stop();
      assert.ok((stats?.heartbeatAcks ?? 0) >= 1, JSON.stringify(stats));
    }
  });

  it("a provider that dies mid-call: the calls in flight fail at once, not at their timeout", async () => {
    const provider = await startDubboProvider({ name: "X" });
    const proxy = await startProxy(await nativeRuntime(), dubboYaml([provider.address]));
    try {
      const calls = runDubboConsumer(`127.0.0.1:${proxy.port("dubbo")}`, {
        calls: 4,
        concurrency: 4,
        method: "slow",
        arg: 5000,
        timeout: 8000,
      });
      await new Promise((r) => setTimeout(r, 500));
      await provider.stop();
      const r = await calls;
      assert.equal(r.ok, 0);
      assert.equal(r.errorCount, 4);
      assert.ok(r.elapsedMs < 4000, `took ${r.elapsedMs} ms`);
    } finally {
      await proxy.stop();
    }
  });

  it("routes by method and by service to different clusters", async () => {
    const [a, b] = await Promise.all([startDubboProvider({ name: "A" }), startDubboProvider({ name: "B" })]);
    const yaml = `
servers:
  - listeners:
      - name: dubbo
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config: { downstream_protocol: dubbo, router_config_name: rpc }
    routers:
      - router_config_name: rpc
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { headers: [{ name: service, value: "${SERVICE}" }, { name: method, value: slow }] }
                route: { cluster_name: b }
              - match: { headers: [{ name: service, value: "${SERVICE}" }] }
                route: { cluster_name: a }
cluster_manager:
  clusters:
    - { name: a, hosts: [{ address: "${a.address}" }] }
    - { name: b, hosts: [{ address: "${b.address}" }] }
`;
    const proxy = await startProxy(await nativeRuntime(), yaml);
    try {
      const addr = `127.0.0.1:${proxy.port("dubbo")}`;
      const hello = await runDubboConsumer(addr, { calls: 4, concurrency: 2 });
      assert.deepEqual(hello.by, { A: 4 }, JSON.stringify(hello.errors));
      const slow = await runDubboConsumer(addr, { calls: 3, method: "slow", arg: 10 });
      assert.deepEqual(slow.by, { B: 3 }, JSON.stringify(slow.errors));
      assert.deepEqual([proxy.stat("cluster.a.upstream_rq_total"), proxy.stat("cluster.b.upstream_rq_total")], [4, 3]);
    } finally {
      await proxy.stop();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
