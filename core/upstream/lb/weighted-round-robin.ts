import type { Host, LbContext, LoadBalancer, RandomSource } from "../types.ts";
import { emptyWalk, HostWalk } from "./host-walk.ts";

/**
 * Smooth weighted round robin, nginx's algorithm: every candidate's current weight grows by its
 * weight, the largest is chosen and pays back the candidates' total. Weights 5,1,1 give
 * a a b a c a a, spreading the heavy host's turns instead of bunching them. Candidates are the
 * healthy hosts, or all hosts when none is healthy. The iterator then walks the others in ring
 * order from the chosen host.
 */
export function createWeightedRoundRobin(hosts: readonly Host[], _random: RandomSource): LoadBalancer {
  return new WeightedRoundRobin(hosts);
}

class WeightedRoundRobin implements LoadBalancer {
  readonly type = "LB_WEIGHTED_ROUNDROBIN";
  private readonly hosts: readonly Host[];
  private readonly weights: Float64Array;
  private readonly current: Float64Array;

  constructor(hosts: readonly Host[]) {
    this.hosts = hosts;
    this.weights = new Float64Array(hosts.length);
    // Config allows 1..128; anything below 1 counts as 1 so a host is never silently starved.
    for (let i = 0; i < hosts.length; i++) this.weights[i] = Math.max(1, hosts[i]!.weight);
    this.current = new Float64Array(hosts.length);
  }

  choose(_ctx: LbContext): HostWalk {
    if (this.hosts.length === 0) return emptyWalk();
    const best = this.pick(true);
    if (best >= 0) return new HostWalk(this.hosts, best, true);
    return new HostWalk(this.hosts, this.pick(false), false);
  }

  /** One smooth-WRR round over the (healthy) candidates; -1 when there is none. */
  private pick(healthyOnly: boolean): number {
    const { hosts, weights, current } = this;
    let total = 0;
    let best = -1;
    for (let i = 0; i < hosts.length; i++) {
      if (healthyOnly && !hosts[i]!.healthy) continue;
      current[i]! += weights[i]!;
      total += weights[i]!;
      if (best < 0 || current[i]! > current[best]!) best = i;
    }
    if (best >= 0) current[best]! -= total;
    return best;
  }
}
