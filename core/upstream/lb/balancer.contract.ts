import { assert, describe, it } from "../../../test/support/test-api.ts";
import type { LbFactory } from "../types.ts";
import { seededRandom } from "./test-random.ts";
import { makeHosts, walk } from "./test-hosts.ts";

/** Behaviour every balancer shares: empty and single host sets, distinct retries, health. */
export function runBalancerContract(name: string, factory: LbFactory): void {
  describe(`${name} (balancer contract)`, () => {
    it("yields nothing for an empty host set", () => {
      const lb = factory([], seededRandom(1));
      assert.equal(lb.choose({}).next().done, true);
    });

    it("always yields the only host, once per choose", () => {
      const lb = factory(makeHosts(1), seededRandom(2));
      for (let i = 0; i < 5; i++) assert.deepEqual(walk(lb), ["h0"]);
    });

    it("yields every host exactly once per choose, so retries never repeat a host", () => {
      const lb = factory(makeHosts([3, 1, 2, 1, 1]), seededRandom(3));
      for (let i = 0; i < 200; i++) {
        const names = walk(lb);
        assert.equal(names.length, 5);
        assert.deepEqual([...names].sort(), ["h0", "h1", "h2", "h3", "h4"]);
      }
    });

    it("skips unhealthy hosts while a healthy one exists", () => {
      const hosts = makeHosts(5);
      hosts[0]!.healthy = false;
      hosts[3]!.healthy = false;
      const lb = factory(hosts, seededRandom(4));
      const firsts = new Set<string>();
      for (let i = 0; i < 300; i++) {
        const names = walk(lb);
        assert.deepEqual([...names].sort(), ["h1", "h2", "h4"]);
        firsts.add(names[0]!);
      }
      assert.deepEqual([...firsts].sort(), ["h1", "h2", "h4"]);
    });

    it("uses every host when none is healthy", () => {
      const hosts = makeHosts(3);
      for (const h of hosts) h.healthy = false;
      const lb = factory(hosts, seededRandom(5));
      for (let i = 0; i < 30; i++) assert.deepEqual([...walk(lb)].sort(), ["h0", "h1", "h2"]);
    });

    it("skips a host marked unhealthy after the choice when retrying", () => {
      const hosts = makeHosts(4);
      const lb = factory(hosts, seededRandom(6));
      const it = lb.choose({});
      const first = it.next();
      assert.equal(first.done, false);
      const victim = hosts.find((h) => h !== first.value)!;
      victim.healthy = false;
      const rest: string[] = [];
      for (let r = it.next(); !r.done; r = it.next()) rest.push(r.value.hostname);
      assert.equal(rest.length, 2);
      assert.ok(!rest.includes(victim.hostname));
      assert.ok(!rest.includes(first.value.hostname));
    });

    it("is steered by the injected random source only, not Math.random", () => {
      const a = factory(makeHosts(6), seededRandom(7));
      const b = factory(makeHosts(6), seededRandom(7));
      for (let i = 0; i < 50; i++) assert.deepEqual(walk(a), walk(b));
    });
  });
}
