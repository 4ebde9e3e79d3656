import { createHost } from "../host.ts";
import type { Host, LoadBalancer } from "../types.ts";

/** Hosts named "h0".."hN" on 10.0.0.i:80 with the given weights (all 1 when only a count). */
export function makeHosts(weightsOrCount: number | readonly number[]): Host[] {
  const weights = typeof weightsOrCount === "number" ? Array<number>(weightsOrCount).fill(1) : weightsOrCount;
  return weights.map((weight, i) =>
    createHost({ address: { host: `10.0.0.${i}`, port: 80 }, hostname: `h${i}`, weight }, "test")
  );
}

/** Every host a `choose` iterator yields, in order, by hostname. */
export function walk(lb: LoadBalancer): string[] {
  const names: string[] = [];
  const it = lb.choose({});
  // Bounded so a balancer that never finishes fails the test instead of hanging it.
  for (let r = it.next(); !r.done; r = it.next()) {
    names.push(r.value.hostname);
    if (names.length > 1000) throw new Error("iterator did not finish");
  }
  return names;
}

/** The first choice of `n` successive `choose` calls, by hostname. */
export function firstChoices(lb: LoadBalancer, n: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = lb.choose({}).next();
    if (r.done) throw new Error("choose yielded nothing");
    names.push(r.value.hostname);
  }
  return names;
}

/** How often each hostname appears. */
export function tally(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}
