import type { Host } from "../types.ts";

/**
 * The iterator every balancer returns: yields `hosts[first]`, then the other hosts in ring order
 * from `first + 1`, each at most once. With `healthyOnly`, hosts are skipped if unhealthy at the
 * moment they would be yielded, so a retry never lands on a host marked down since the choice.
 */
export class HostWalk implements IterableIterator<Host> {
  private readonly hosts: readonly Host[];
  private readonly first: number;
  private readonly healthyOnly: boolean;
  private step = 0;

  constructor(hosts: readonly Host[], first: number, healthyOnly: boolean) {
    this.hosts = hosts;
    this.first = first;
    this.healthyOnly = healthyOnly;
  }

  next(): IteratorResult<Host, undefined> {
    const n = this.hosts.length;
    // The first choice was vetted by the balancer an instant ago; yield it as chosen.
    if (this.step === 0 && n > 0) {
      this.step = 1;
      return { done: false, value: this.hosts[this.first]! };
    }
    while (this.step < n) {
      const i = this.first + this.step++;
      const host = this.hosts[i < n ? i : i - n]!;
      if (!this.healthyOnly || host.healthy) return { done: false, value: host };
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<Host> {
    return this;
  }
}

/** What `choose` returns for an empty host set: done at once. */
export function emptyWalk(): HostWalk {
  return new HostWalk([], 0, false);
}
