import { describe, it, assert } from "../../test/support/test-api.ts";
import { createHost } from "./host.ts";

describe("createHost", () => {
  it("copies the config, names the cluster and starts healthy with zero counters", () => {
    const host = createHost({ address: { host: "10.1.2.3", port: 8080 }, hostname: "a", weight: 7 }, "svc");
    assert.deepEqual(host, {
      address: { host: "10.1.2.3", port: 8080 },
      addressText: "10.1.2.3:8080",
      hostname: "a",
      weight: 7,
      clusterName: "svc",
      activeRequests: 0,
      activeConnections: 0,
      connectFailures: 0,
      healthy: true,
    });
  });

  it("writes IPv6 addresses with brackets", () => {
    const host = createHost({ address: { host: "::1", port: 80 }, hostname: "", weight: 1 }, "svc");
    assert.equal(host.addressText, "[::1]:80");
  });
});
