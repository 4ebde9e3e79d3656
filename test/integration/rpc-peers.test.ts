// The third-party RPC peers of test/peers against each other, with no proxy between them: what
// the xprotocol tests will put the proxy in the middle of. Bolt: sofa-rpc-node's client and
// server (sofa-bolt-node for oneway). Dubbo: dubbo2.js's consumer and a hessian.js-built
// provider. The peers are node processes whichever runtime runs this file.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runtimeName } from "../support/runtime.ts";
import {
  killPeers,
  runBoltClient,
  runDubboConsumer,
  startBoltServer,
  startDubboProvider,
} from "../support/rpc-peers.ts";

describe(`RPC peers directly, tests on ${runtimeName()}`, () => {
  after(killPeers);

  it("bolt: sofa-rpc-node client -> two servers, 200 echo calls, 20 in flight over 3 connections", async () => {
    const [a, b] = await Promise.all([startBoltServer({ name: "A" }), startBoltServer({ name: "B" })]);
    try {
      const toA = await runBoltClient(a.address, { calls: 200, concurrency: 20, connections: 3 });
      assert.equal(toA.ok, 200, JSON.stringify(toA.errors));
      assert.equal(toA.mismatches, 0);
      assert.deepEqual(toA.by, { A: 200 });
      const toB = await runBoltClient(b.address, { calls: 5, method: "whoami" });
      assert.deepEqual(toB.by, { B: 5 });
    } finally {
      const [statsA, statsB] = await Promise.all([a.stop(), b.stop()]);
      assert.deepEqual(
        { requests: statsA?.requests, connections: statsA?.connections },
        { requests: 200, connections: 3 },
      );
      assert.equal(statsB?.requests, 5);
    }
  });

  it("bolt: errors reach the client readably: a business error, an unknown service, a timeout", async () => {
    const server = await startBoltServer({ name: "E" });
    try {
      const failed = await runBoltClient(server.address, { calls: 1, method: "fail", arg: "broken on purpose" });
      assert.equal(failed.ok, 0);
      assert.match(failed.errors[0].message, /broken on purpose/);
      const unknown = await runBoltClient(server.address, { calls: 1, service: "com.alipay.test.Nope" });
      assert.match(unknown.errors[0].message, /not found service: com\.alipay\.test\.Nope:1\.0/);
      const late = await runBoltClient(server.address, { calls: 1, method: "slow", arg: 1000, timeout: 200 });
      assert.equal(late.errors[0].name, "RpcResponseTimeoutError");
    } finally {
      await server.stop();
    }
  });

  it("bolt: oneway calls reach the server, which answers them anyway; the connection stays in step", async () => {
    const server = await startBoltServer({ name: "O" });
    try {
      const r = await runBoltClient(server.address, { mode: "oneway", calls: 3 });
      assert.equal(r.ok, 1, JSON.stringify(r.errors));
      assert.equal(r.onewaySent, 3);
      // sofa-rpc-node's server sends a response to a oneway request too: the client drops it.
      assert.equal(r.unexpectedResponses, 3);
    } finally {
      assert.equal((await server.stop())?.requests, 4);
    }
  });

  it("bolt: an idle client sends heartbeats the server acks, and calls work after them", async () => {
    const server = await startBoltServer({ name: "H" });
    try {
      const r = await runBoltClient(server.address, { mode: "idle", idle: 1.5, "heartbeat-ms": 300 });
      assert.equal(r.ok, 2, JSON.stringify(r.errors));
      assert.ok(r.heartbeats!.sent >= 1, `heartbeats sent: ${r.heartbeats!.sent}`);
      assert.equal(r.heartbeats!.acked, r.heartbeats!.sent);
    } finally {
      const stats = await server.stop();
      assert.ok((stats?.heartbeats ?? 0) >= 1);
      assert.ok(server.lines.some((l) => l.event === "heartbeat"));
    }
  });

  it("dubbo: dubbo2.js consumer -> two providers, 200 calls, 20 in flight over 2 connections", async () => {
    const [a, b] = await Promise.all([startDubboProvider({ name: "DA" }), startDubboProvider({ name: "DB" })]);
    try {
      const toA = await runDubboConsumer(a.address, { calls: 200, concurrency: 20, connections: 2 });
      assert.equal(toA.ok, 200, JSON.stringify(toA.errors));
      assert.equal(toA.mismatches, 0);
      assert.deepEqual(toA.by, { DA: 200 });
      const toB = await runDubboConsumer(b.address, { calls: 3 });
      assert.deepEqual(toB.by, { DB: 3 });
    } finally {
      const [statsA] = await Promise.all([a.stop(), b.stop()]);
      assert.deepEqual({ requests: statsA?.requests, connections: statsA?.connections }, {
        requests: 200,
        connections: 2,
      });
    }
  });

  it("dubbo: attachments and the group reach the provider", async () => {
    const provider = await startDubboProvider({ name: "G", group: "blue" });
    try {
      const r = await runDubboConsumer(provider.address, {
        calls: 1,
        method: "getAttachments",
        group: "blue",
        attachments: "traceId=t-1,tenant=acme",
      });
      assert.equal(r.ok, 1, JSON.stringify(r.errors));
      const seen = r.sample[0] as Record<string, unknown>;
      assert.deepEqual(
        [seen.traceId, seen.tenant, seen.group, seen.path, seen.interface, seen.version],
        ["t-1", "acme", "blue", "org.apache.dubbo.demo.DemoService", "org.apache.dubbo.demo.DemoService", "1.0.0"],
      );
      const noGroup = await runDubboConsumer(provider.address, { calls: 1 });
      assert.match(noGroup.errors[0]?.message ?? "", /Not found exported service/);
    } finally {
      await provider.stop();
    }
  });

  it("dubbo: an exception result and a non-OK status both reach the consumer as readable errors", async () => {
    const provider = await startDubboProvider({ name: "F" });
    try {
      const exception = await runDubboConsumer(provider.address, { calls: 1, method: "fail", arg: "bad input" });
      assert.equal(exception.errors[0].message, "bad input");
      const status = await runDubboConsumer(provider.address, { calls: 1, method: "failStatus", arg: "service down" });
      assert.match(status.errors[0].message, /service down/);
      const version = await runDubboConsumer(provider.address, { calls: 1, version: "9.9.9" });
      assert.match(version.errors[0].message, /Not found exported service: .*DemoService:9\.9\.9/);
      const late = await runDubboConsumer(provider.address, { calls: 1, method: "slow", arg: 1000, timeout: 200 });
      assert.match(late.errors[0].message, /timeout/);
    } finally {
      await provider.stop();
    }
  });

  it("dubbo: provider heartbeats on the connection do not disturb calls", async () => {
    const provider = await startDubboProvider({ name: "P", "heartbeat-ms": 50 });
    try {
      const r = await runDubboConsumer(provider.address, { calls: 6, concurrency: 3, method: "slow", arg: 150 });
      assert.equal(r.ok, 6, JSON.stringify(r.errors));
    } finally {
      await provider.stop();
    }
  });
});
