import { assert, describe, it } from "../../test/support/test-api.ts";
import { Stats } from "../observe/stats.ts";
import { createHost } from "./host.ts";

describe("createHost", () => {
  it("copies the config, names the cluster and starts healthy with zero counters", () => {
    const host = createHost({ address: { host: "10.1.2.3", port: 8080 }, hostname: "a", weight: 7 }, "svc");
    assert.deepEqual(host.address, { host: "10.1.2.3", port: 8080 });
    assert.equal(host.addressText, "10.1.2.3:8080");
    assert.equal(host.hostname, "a");
    assert.equal(host.weight, 7);
    assert.equal(host.clusterName, "svc");
    assert.equal(host.healthy, true);
    assert.equal(host.activeRequests, 0);
    assert.equal(host.activeConnections, 0);
  });

  it("registers its counters in the stats registry under the cluster and address", () => {
    const stats = new Stats();
    const host = createHost({ address: { host: "10.1.2.3", port: 8080 }, hostname: "a", weight: 1 }, "svc", stats);
    host.stats.rqActive.value = 3;
    host.stats.cxActive.value = 2;
    assert.equal(host.activeRequests, 3, "balancers read the registry's gauge");
    assert.equal(host.activeConnections, 2);
    assert.deepEqual(stats.snapshot(), {
      "cluster.svc.host.10.1.2.3:8080.cx_active": 2,
      "cluster.svc.host.10.1.2.3:8080.cx_connect_fail": 0,
      "cluster.svc.host.10.1.2.3:8080.cx_total": 0,
      "cluster.svc.host.10.1.2.3:8080.rq_active": 3,
      "cluster.svc.host.10.1.2.3:8080.rq_total": 0,
    });
  });

  it("writes IPv6 addresses with brackets", () => {
    const host = createHost({ address: { host: "::1", port: 80 }, hostname: "", weight: 1 }, "svc");
    assert.equal(host.addressText, "[::1]:80");
  });
});
