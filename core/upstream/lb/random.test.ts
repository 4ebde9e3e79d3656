import { assert, describe, it } from "../../../test/support/test-api.ts";
import { runBalancerContract } from "./balancer.contract.ts";
import { createRandom } from "./random.ts";
import { firstChoices, makeHosts, tally } from "./test-hosts.ts";
import { seededRandom } from "./test-random.ts";

runBalancerContract("random", createRandom);

/** Pearson's chi-square of `counts` against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe("random", () => {
  it("spreads 30000 picks uniformly over 5 hosts", () => {
    const lb = createRandom(makeHosts(5), seededRandom(42));
    const counts = tally(firstChoices(lb, 30000));
    const values = ["h0", "h1", "h2", "h3", "h4"].map((n) => counts.get(n) ?? 0);
    for (const c of values) assert.ok(Math.abs(c - 6000) < 300, `count ${c} is not within 5% of 6000`);
    // 18.47 is the 0.999 quantile of chi-square with 4 degrees of freedom.
    assert.ok(chiSquare(values) < 18.47, `chi-square ${chiSquare(values)} too large for ${values}`);
  });

  it("stays uniform over the healthy hosts when some are down", () => {
    const hosts = makeHosts(4);
    hosts[1]!.healthy = false;
    const lb = createRandom(hosts, seededRandom(7));
    const counts = tally(firstChoices(lb, 30000));
    assert.equal(counts.get("h1"), undefined);
    // A "next healthy host" fallback would give h2 half the picks; uniform gives each a third.
    for (const n of ["h0", "h2", "h3"]) {
      const c = counts.get(n) ?? 0;
      assert.ok(Math.abs(c - 10000) < 500, `${n} got ${c}, expected about 10000`);
    }
  });

  it("follows the random source for the first choice", () => {
    const lb = createRandom(makeHosts(4), () => 0.76);
    assert.deepEqual(firstChoices(lb, 2), ["h3", "h3"]);
  });
});
