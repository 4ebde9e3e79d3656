import { assert, describe, it } from "../../test/support/test-api.ts";
import type { ClusterConfig, LbType } from "../config/types.ts";
import { ConfigError } from "../errors.ts";
import { ClusterManager } from "./cluster-manager.ts";
import { defaultLoadBalancers } from "./lb/index.ts";
import { seededRandom } from "./lb/test-random.ts";
import type { Host, LbFactory } from "./types.ts";

function clusterConfig(name: string, lbType: LbType, ports: readonly number[]): ClusterConfig {
  return {
    name,
    type: "SIMPLE",
    lbType,
    hosts: ports.map((port, i) => ({ address: { host: "127.0.0.1", port }, hostname: `${name}-${i}`, weight: 1 })),
    connectTimeoutMs: 3000,
    maxRequestPerConn: 0,
    connBufferLimitBytes: 65536,
  };
}

describe("ClusterManager", () => {
  const configs = [
    clusterConfig("web", "LB_ROUNDROBIN", [8001, 8002]),
    clusterConfig("rpc", "LB_LEAST_REQUEST", [9001]),
    clusterConfig("empty", "LB_RANDOM", []),
  ];

  it("finds clusters by name and lists them in config order", () => {
    const cm = new ClusterManager(configs, defaultLoadBalancers(), seededRandom(1));
    assert.deepEqual(cm.names(), ["web", "rpc", "empty"]);
    assert.deepEqual([...cm.clusters()].map((c) => c.name), ["web", "rpc", "empty"]);
    assert.equal(cm.get("rpc")?.config, configs[1]);
    assert.equal(cm.get("nope"), undefined);
  });

  it("builds each cluster's hosts from its config, tagged with the cluster name", () => {
    const web = new ClusterManager(configs, defaultLoadBalancers(), seededRandom(1)).get("web")!;
    assert.deepEqual(web.hosts.map((h) => h.addressText), ["127.0.0.1:8001", "127.0.0.1:8002"]);
    assert.deepEqual(web.hosts.map((h) => h.clusterName), ["web", "web"]);
    assert.ok(Object.isFrozen(web.hosts));
  });

  it("gives each cluster the balancer its lb type names, over its own hosts", () => {
    const cm = new ClusterManager(configs, defaultLoadBalancers(), seededRandom(1));
    assert.equal(cm.get("web")!.lb.type, "LB_ROUNDROBIN");
    assert.equal(cm.get("rpc")!.lb.type, "LB_LEAST_REQUEST");
    assert.equal(cm.get("empty")!.lb.type, "LB_RANDOM");
    const web = cm.get("web")!;
    const first = web.lb.choose({}).next();
    assert.equal(first.done, false);
    assert.ok(web.hosts.includes(first.value));
    assert.equal(cm.get("empty")!.lb.choose({}).next().done, true);
  });

  it("uses the factory map it is given", () => {
    const seen: (readonly Host[])[] = [];
    const spy: LbFactory = (hosts, random) => {
      seen.push(hosts);
      return { type: "spy", choose: () => defaultLoadBalancers().get("LB_ROUNDROBIN")!(hosts, random).choose({}) };
    };
    const factories = new Map<LbType, LbFactory>([["LB_ROUNDROBIN", spy], ["LB_LEAST_REQUEST", spy], [
      "LB_RANDOM",
      spy,
    ]]);
    const cm = new ClusterManager(configs, factories, seededRandom(1));
    assert.equal(cm.get("web")!.lb.type, "spy");
    assert.deepEqual(seen, [cm.get("web")!.hosts, cm.get("rpc")!.hosts, cm.get("empty")!.hosts]);
  });

  it("starts every cluster's counters at zero", () => {
    const cm = new ClusterManager(configs, defaultLoadBalancers(), seededRandom(1));
    const rpc = cm.get("rpc")!;
    for (const [key, metric] of Object.entries(rpc.stats)) if (key !== "connection") assert.equal(metric.value, 0, key);
  });

  it("rejects a duplicate cluster name with its config path", () => {
    const dup = [configs[0]!, clusterConfig("web", "LB_RANDOM", [1])];
    assert.throws(
      () => new ClusterManager(dup, defaultLoadBalancers(), seededRandom(1)),
      (e: unknown) => e instanceof ConfigError && e.path === "cluster_manager.clusters[1].name",
    );
  });

  it("rejects an lb type with no factory with its config path", () => {
    const factories = defaultLoadBalancers();
    factories.delete("LB_RANDOM");
    assert.throws(
      () => new ClusterManager(configs, factories, seededRandom(1)),
      (e: unknown) => e instanceof ConfigError && e.path === "cluster_manager.clusters[2].lb_type",
    );
  });
});

describe("defaultLoadBalancers", () => {
  it("covers every MOSN lb type, each balancer reporting its own type", () => {
    const map = defaultLoadBalancers();
    const types: LbType[] = ["LB_ROUNDROBIN", "LB_RANDOM", "LB_WEIGHTED_ROUNDROBIN", "LB_LEAST_REQUEST"];
    assert.deepEqual([...map.keys()].sort(), [...types].sort());
    for (const t of types) assert.equal(map.get(t)!([], seededRandom(1)).type, t);
  });

  it("builds a fresh map each call, so one caller's changes stay its own", () => {
    const a = defaultLoadBalancers();
    a.delete("LB_RANDOM");
    assert.ok(defaultLoadBalancers().has("LB_RANDOM"));
  });
});
