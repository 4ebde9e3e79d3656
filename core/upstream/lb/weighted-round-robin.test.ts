import { assert, describe, it } from "../../../test/support/test-api.ts";
import { runBalancerContract } from "./balancer.contract.ts";
import { firstChoices, makeHosts, tally, walk } from "./test-hosts.ts";
import { createWeightedRoundRobin } from "./weighted-round-robin.ts";

runBalancerContract("weighted round robin", createWeightedRoundRobin);

/**
 * The largest gap, over every prefix of `picks`, between a host's count and its exact weighted
 * share. Smooth sequences stay under 1; a bunched a a a a a b c reaches 5 - 5*5/7 = 1.43.
 */
function maxShareDeviation(picks: readonly string[], weights: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const w of weights.values()) total += w;
  const counts = new Map<string, number>();
  let worst = 0;
  for (let k = 1; k <= picks.length; k++) {
    counts.set(picks[k - 1]!, (counts.get(picks[k - 1]!) ?? 0) + 1);
    for (const [name, w] of weights) worst = Math.max(worst, Math.abs((counts.get(name) ?? 0) - (k * w) / total));
  }
  return worst;
}

describe("weighted round robin", () => {
  it("spreads weights 5,1,1 smoothly as a a b a c a a", () => {
    const lb = createWeightedRoundRobin(makeHosts([5, 1, 1]), () => 0);
    const once = ["h0", "h0", "h1", "h0", "h2", "h0", "h0"];
    assert.deepEqual(firstChoices(lb, 14), [...once, ...once]);
  });

  it("keeps exact proportions and stays within one pick of them all along over 7000 picks", () => {
    const lb = createWeightedRoundRobin(makeHosts([5, 1, 1]), () => 0);
    const picks = firstChoices(lb, 7000);
    assert.deepEqual(Object.fromEntries(tally(picks)), { h0: 5000, h1: 1000, h2: 1000 });
    const deviation = maxShareDeviation(picks, new Map([["h0", 5], ["h1", 1], ["h2", 1]]));
    assert.ok(deviation < 1, `a host strayed ${deviation} picks from its share`);
  });

  it("the smoothness measure rejects a bunched sequence", () => {
    const bunched = Array.from({ length: 100 }, () => ["h0", "h0", "h0", "h0", "h0", "h1", "h2"]).flat();
    assert.ok(maxShareDeviation(bunched, new Map([["h0", 5], ["h1", 1], ["h2", 1]])) > 1);
  });

  it("keeps proportions for uneven weights", () => {
    const lb = createWeightedRoundRobin(makeHosts([3, 7, 128, 1]), () => 0);
    const counts = tally(firstChoices(lb, 139 * 20));
    assert.deepEqual(Object.fromEntries(counts), { h0: 60, h1: 140, h2: 2560, h3: 20 });
  });

  it("shares turns among the healthy hosts only", () => {
    const hosts = makeHosts([5, 1, 1]);
    hosts[0]!.healthy = false;
    const lb = createWeightedRoundRobin(hosts, () => 0);
    assert.deepEqual(firstChoices(lb, 4), ["h1", "h2", "h1", "h2"]);
  });

  it("yields the other hosts in ring order after the weighted choice", () => {
    const lb = createWeightedRoundRobin(makeHosts([5, 1, 1]), () => 0);
    assert.deepEqual(walk(lb), ["h0", "h1", "h2"]);
    assert.deepEqual(walk(lb), ["h0", "h1", "h2"]);
    assert.deepEqual(walk(lb), ["h1", "h2", "h0"]);
  });
});
