import type { Host, LbContext, LoadBalancer, RandomSource } from "../types.ts";
import { countHealthy, nthHealthy, randomIndex } from "./healthy-pick.ts";
import { emptyWalk, HostWalk } from "./host-walk.ts";

/**
 * Least request by the power of two choices: sample two distinct hosts uniformly and take the
 * one with fewer `activeRequests` (the first sampled on a tie). Weights are not consulted.
 * Unhealthy hosts are left out of the sample while any host is healthy. The iterator then
 * walks the others in ring order from the winner.
 */
export function createLeastRequest(hosts: readonly Host[], random: RandomSource): LoadBalancer {
  return new LeastRequest(hosts, random);
}

class LeastRequest implements LoadBalancer {
  readonly type = "LB_LEAST_REQUEST";
  private readonly hosts: readonly Host[];
  private readonly random: RandomSource;

  constructor(hosts: readonly Host[], random: RandomSource) {
    this.hosts = hosts;
    this.random = random;
  }

  choose(_ctx: LbContext): HostWalk {
    const hosts = this.hosts;
    const n = hosts.length;
    if (n === 0) return emptyWalk();
    if (n === 1) return new HostWalk(hosts, 0, hosts[0]!.healthy);
    const a = randomIndex(this.random, n);
    const b = this.other(a, n);
    if (hosts[a]!.healthy && hosts[b]!.healthy) return new HostWalk(hosts, this.lesser(a, b), true);
    // Redraw among the healthy only. The fast path's pair, given both healthy, is uniform over
    // healthy pairs and so is this one, so the mixture stays uniform.
    const healthy = countHealthy(hosts);
    if (healthy === 0) return new HostWalk(hosts, this.lesser(a, b), false);
    const ka = randomIndex(this.random, healthy);
    if (healthy === 1) return new HostWalk(hosts, nthHealthy(hosts, ka), true);
    const kb = this.other(ka, healthy);
    return new HostWalk(hosts, this.lesser(nthHealthy(hosts, ka), nthHealthy(hosts, kb)), true);
  }

  /** A uniform index in [0, n) other than `taken`. */
  private other(taken: number, n: number): number {
    const j = randomIndex(this.random, n - 1);
    return j >= taken ? j + 1 : j;
  }

  private lesser(a: number, b: number): number {
    return this.hosts[b]!.activeRequests < this.hosts[a]!.activeRequests ? b : a;
  }
}
