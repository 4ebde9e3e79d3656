import { assert, describe, it } from "../../../test/support/test-api.ts";
import { runBalancerContract } from "./balancer.contract.ts";
import { createRoundRobin } from "./round-robin.ts";
import { firstChoices, makeHosts, walk } from "./test-hosts.ts";

runBalancerContract("round robin", createRoundRobin);

describe("round robin", () => {
  it("rotates through the hosts in order", () => {
    const lb = createRoundRobin(makeHosts(3), () => 0);
    assert.deepEqual(firstChoices(lb, 7), ["h0", "h1", "h2", "h0", "h1", "h2", "h0"]);
  });

  it("starts the rotation where the random source says", () => {
    const lb = createRoundRobin(makeHosts(4), () => 0.5);
    assert.deepEqual(firstChoices(lb, 5), ["h2", "h3", "h0", "h1", "h2"]);
  });

  it("yields the remaining hosts in ring order after the first choice", () => {
    const lb = createRoundRobin(makeHosts(4), () => 0);
    assert.deepEqual(walk(lb), ["h0", "h1", "h2", "h3"]);
    assert.deepEqual(walk(lb), ["h1", "h2", "h3", "h0"]);
    assert.deepEqual(walk(lb), ["h2", "h3", "h0", "h1"]);
  });

  it("gives the host behind a down one no extra turns", () => {
    const hosts = makeHosts(3);
    hosts[1]!.healthy = false;
    const lb = createRoundRobin(hosts, () => 0);
    assert.deepEqual(firstChoices(lb, 6), ["h0", "h2", "h0", "h2", "h0", "h2"]);
  });

  it("picks a recovered host up again on its turn", () => {
    const hosts = makeHosts(3);
    hosts[1]!.healthy = false;
    const lb = createRoundRobin(hosts, () => 0);
    assert.deepEqual(firstChoices(lb, 2), ["h0", "h2"]);
    hosts[1]!.healthy = true;
    assert.deepEqual(firstChoices(lb, 4), ["h0", "h1", "h2", "h0"]);
  });
});
