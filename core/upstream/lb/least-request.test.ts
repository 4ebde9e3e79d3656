import { assert, describe, it } from "../../../test/support/test-api.ts";
import { runBalancerContract } from "./balancer.contract.ts";
import { createLeastRequest } from "./least-request.ts";
import { firstChoices, makeHosts, tally } from "./test-hosts.ts";
import { seededRandom } from "./test-random.ts";

runBalancerContract("least request", createLeastRequest);

/** Hosts whose `activeRequests` are `loads`. */
function loaded(loads: readonly number[]) {
  const hosts = makeHosts(loads.length);
  loads.forEach((load, i) => (hosts[i]!.stats.rqActive.value = load));
  return hosts;
}

function share(counts: Map<string, number>, name: string, total: number): number {
  return (counts.get(name) ?? 0) / total;
}

describe("least request (power of two choices)", () => {
  it("gives the idle host the share of every pair it is in", () => {
    const lb = createLeastRequest(loaded([0, 100, 100, 100]), seededRandom(11));
    const counts = tally(firstChoices(lb, 20000));
    // h0 is in a random distinct pair with probability 1 - 3/4 * 2/3 = 1/2, and wins it.
    assert.ok(Math.abs(share(counts, "h0", 20000) - 0.5) < 0.02, `h0 share ${share(counts, "h0", 20000)}`);
    // The tied rest split the other half: the first sampled wins a tie.
    for (const n of ["h1", "h2", "h3"]) {
      assert.ok(Math.abs(share(counts, n, 20000) - 1 / 6) < 0.02, `${n} share ${share(counts, n, 20000)}`);
    }
  });

  it("never picks the most loaded host while it has distinct rivals", () => {
    const lb = createLeastRequest(loaded([10, 12, 11, 500]), seededRandom(12));
    const counts = tally(firstChoices(lb, 5000));
    assert.equal(counts.get("h3"), undefined);
    // The least loaded wins every pair it is in (half of them); the next-least loses only to it.
    assert.ok(Math.abs(share(counts, "h0", 5000) - 0.5) < 0.03);
    assert.ok(Math.abs(share(counts, "h2", 5000) - 1 / 3) < 0.03);
    assert.ok(Math.abs(share(counts, "h1", 5000) - 1 / 6) < 0.03);
  });

  it("always picks the less loaded of two hosts", () => {
    const lb = createLeastRequest(loaded([7, 3]), seededRandom(13));
    assert.deepEqual(new Set(firstChoices(lb, 200)), new Set(["h1"]));
  });

  it("follows load as it changes", () => {
    const hosts = loaded([0, 5]);
    const lb = createLeastRequest(hosts, seededRandom(14));
    assert.deepEqual(firstChoices(lb, 3), ["h0", "h0", "h0"]);
    hosts[0]!.stats.rqActive.value = 9;
    assert.deepEqual(firstChoices(lb, 3), ["h1", "h1", "h1"]);
  });

  it("is uniform when loads are equal", () => {
    const lb = createLeastRequest(loaded([4, 4, 4, 4]), seededRandom(15));
    const counts = tally(firstChoices(lb, 20000));
    for (const n of ["h0", "h1", "h2", "h3"]) {
      assert.ok(Math.abs(share(counts, n, 20000) - 0.25) < 0.02, `${n} share ${share(counts, n, 20000)}`);
    }
  });

  it("samples only healthy hosts when some are down", () => {
    const hosts = loaded([0, 100, 100, 100]);
    hosts[0]!.healthy = false;
    const lb = createLeastRequest(hosts, seededRandom(16));
    const counts = tally(firstChoices(lb, 9000));
    assert.equal(counts.get("h0"), undefined);
    for (const n of ["h1", "h2", "h3"]) {
      assert.ok(Math.abs(share(counts, n, 9000) - 1 / 3) < 0.03, `${n} share ${share(counts, n, 9000)}`);
    }
  });

  it("picks the single healthy host without comparing", () => {
    const hosts = loaded([0, 100, 0]);
    hosts[0]!.healthy = false;
    hosts[2]!.healthy = false;
    const lb = createLeastRequest(hosts, seededRandom(17));
    assert.deepEqual(new Set(firstChoices(lb, 50)), new Set(["h1"]));
  });
});
