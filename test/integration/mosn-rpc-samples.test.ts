// MOSN's own RPC samples, served as MOSN serves them, with only their ports changed:
// examples/codes/sofarpc-with-xprotocol-sample (sofa-rpc-node client -> client proxy :2045 ->
// server proxy :2046 -> SOFARPC server :8080) and examples/codes/dubbo (dubbo2.js consumer ->
// client proxy :2045 -> server proxy :2046 -> provider :20880), each config pair at v0.26.0 and
// at v1.6.0, both proxies on the runtime running this file.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFixture } from "../support/test-api.ts";
import { startProxy, type TestProxy } from "../support/proxy.ts";
import {
  killPeers,
  runBoltClient,
  runDubboConsumer,
  startBoltServer,
  startDubboProvider,
} from "../support/rpc-peers.ts";
import { freePorts, nativeRuntime, runtimeName } from "../support/runtime.ts";

const fixture = (name: string) => readFixture(new URL(`../../core/config/testdata/${name}`, import.meta.url));

/** The one change made to MOSN's text: each `:PORT"` of `ports` becomes `:NEW"`. */
function movePorts(text: string, ports: Record<number, number>): string {
  let out = text;
  for (const [from, to] of Object.entries(ports)) out = out.replaceAll(`:${from}"`, `:${to}"`);
  return out;
}

/** Starts MOSN's server config, then its client config, with their ports moved. */
async function startPair(sample: string, ports: Record<number, number>): Promise<[TestProxy, TestProxy]> {
  const rt = await nativeRuntime();
  const serverSide = await startProxy(rt, movePorts(fixture(`${sample}-server.json`), ports));
  try {
    return [await startProxy(rt, movePorts(fixture(`${sample}-client.json`), ports)), serverSide];
  } catch (err) {
    await serverSide.stop();
    throw err;
  }
}

describe(`MOSN's RPC samples served on ${runtimeName()}`, () => {
  after(killPeers);

  for (const version of ["v0.26.0", "v1.6.0"]) {
    it(`sofarpc-with-xprotocol-sample at ${version}: sofa-rpc-node client -> client proxy -> server proxy (healthcheck filter) -> sofa-rpc-node server`, async () => {
      const [client, server] = await freePorts(2);
      const app = await startBoltServer({ name: "S" });
      const [clientSide, serverSide] = await startPair(`mosn-${version}-sofarpc-xprotocol`, {
        2045: client!,
        2046: server!,
        8080: app.port,
      });
      try {
        const r = await runBoltClient(`127.0.0.1:${client}`, { calls: 40, concurrency: 8, connections: 2 });
        assert.equal(r.ok, 40, JSON.stringify(r.errors));
        assert.equal(r.mismatches, 0);
        assert.deepEqual(r.by, { S: 40 });
        assert.equal(clientSide.stat("cluster.clientCluster.upstream_rq_total"), 40);
        assert.equal(serverSide.stat("cluster.serverCluster.upstream_rq_total"), 40);
        // The client's heartbeats sent straight to the server-side listener, where MOSN puts
        // its healthcheck filter: answered there, never passed to the server.
        const idle = await runBoltClient(`127.0.0.1:${server}`, { mode: "idle", idle: 1.2, "heartbeat-ms": 300 });
        assert.equal(idle.ok, 2, JSON.stringify(idle.errors));
        assert.ok(idle.heartbeats!.sent >= 1, `heartbeats sent: ${idle.heartbeats!.sent}`);
        assert.equal(idle.heartbeats!.acked, idle.heartbeats!.sent);
        assert.equal(serverSide.stat("xprotocol.bolt.heartbeats_answered"), idle.heartbeats!.sent);
      } finally {
        await clientSide.stop();
        await serverSide.stop();
        const stats = await app.stop();
        assert.deepEqual([stats?.requests, stats?.heartbeats], [42, 0]);
      }
    });

    it(`dubbo at ${version}: dubbo2.js consumer -> client proxy -> server proxy -> provider`, async () => {
      const [client, server] = await freePorts(2);
      const provider = await startDubboProvider({ name: "P" });
      const [clientSide, serverSide] = await startPair(`mosn-${version}-dubbo`, {
        2045: client!,
        2046: server!,
        20880: provider.port,
      });
      try {
        const r = await runDubboConsumer(`127.0.0.1:${client}`, { calls: 40, concurrency: 8, connections: 2 });
        assert.equal(r.ok, 40, JSON.stringify(r.errors));
        assert.equal(r.mismatches, 0);
        assert.deepEqual(r.by, { P: 40 });
        assert.equal(clientSide.stat("cluster.clientCluster.upstream_rq_total"), 40);
        assert.equal(serverSide.stat("cluster.serverCluster.upstream_rq_total"), 40);
      } finally {
        await clientSide.stop();
        await serverSide.stop();
        const stats = await provider.stop();
        assert.deepEqual([stats?.requests, stats?.connections], [40, 1]);
      }
    });
  }
});
