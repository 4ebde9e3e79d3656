import type { Host, LbContext, LoadBalancer, RandomSource } from "../types.ts";
import { randomIndex } from "./healthy-pick.ts";
import { emptyWalk, HostWalk } from "./host-walk.ts";

/**
 * Round robin: each `choose` starts one past the previous first choice. Unhealthy hosts are
 * stepped over, and the rotation resumes after the host actually chosen, so the host behind a
 * down one does not get its turn too. With no healthy host, all hosts rotate.
 */
export function createRoundRobin(hosts: readonly Host[], random: RandomSource): LoadBalancer {
  return new RoundRobin(hosts, random);
}

class RoundRobin implements LoadBalancer {
  readonly type = "LB_ROUNDROBIN";
  private readonly hosts: readonly Host[];
  private nextIndex: number;

  constructor(hosts: readonly Host[], random: RandomSource) {
    this.hosts = hosts;
    // A random start keeps a fleet of proxies from all hitting the first host first.
    this.nextIndex = hosts.length > 0 ? randomIndex(random, hosts.length) : 0;
  }

  choose(_ctx: LbContext): HostWalk {
    const n = this.hosts.length;
    if (n === 0) return emptyWalk();
    const start = this.nextIndex;
    for (let step = 0; step < n; step++) {
      const i = start + step < n ? start + step : start + step - n;
      if (this.hosts[i]!.healthy) {
        this.nextIndex = i + 1 < n ? i + 1 : 0;
        return new HostWalk(this.hosts, i, true);
      }
    }
    this.nextIndex = start + 1 < n ? start + 1 : 0;
    return new HostWalk(this.hosts, start, false);
  }
}
