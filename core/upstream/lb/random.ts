import type { Host, LbContext, LoadBalancer, RandomSource } from "../types.ts";
import { countHealthy, nthHealthy, randomIndex } from "./healthy-pick.ts";
import { emptyWalk, HostWalk } from "./host-walk.ts";

/**
 * Random: the first choice is uniform over the healthy hosts (over all hosts when none is
 * healthy); the iterator then walks the others in ring order.
 */
export function createRandom(hosts: readonly Host[], random: RandomSource): LoadBalancer {
  return new RandomBalancer(hosts, random);
}

class RandomBalancer implements LoadBalancer {
  readonly type = "LB_RANDOM";
  private readonly hosts: readonly Host[];
  private readonly random: RandomSource;

  constructor(hosts: readonly Host[], random: RandomSource) {
    this.hosts = hosts;
    this.random = random;
  }

  choose(_ctx: LbContext): HostWalk {
    const n = this.hosts.length;
    if (n === 0) return emptyWalk();
    const i = randomIndex(this.random, n);
    if (this.hosts[i]!.healthy) return new HostWalk(this.hosts, i, true);
    // A miss redraws among the healthy only. Both paths are uniform over the healthy hosts,
    // so their mixture is too, and the common all-healthy case never scans.
    const healthy = countHealthy(this.hosts);
    if (healthy === 0) return new HostWalk(this.hosts, i, false);
    return new HostWalk(this.hosts, nthHealthy(this.hosts, randomIndex(this.random, healthy)), true);
  }
}
