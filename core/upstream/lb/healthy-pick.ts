import type { Host, RandomSource } from "../types.ts";

/** A uniform index in [0, n); clamped because a custom source might return exactly 1. */
export function randomIndex(random: RandomSource, n: number): number {
  const i = Math.floor(random() * n);
  return i < n ? i : n - 1;
}

/** How many hosts are healthy right now (O(n); only run off the fast path). */
export function countHealthy(hosts: readonly Host[]): number {
  let count = 0;
  for (let i = 0; i < hosts.length; i++) if (hosts[i]!.healthy) count++;
  return count;
}

/** Index of the `k`-th (0-based) healthy host; the caller guarantees it exists. */
export function nthHealthy(hosts: readonly Host[], k: number): number {
  let left = k;
  for (let i = 0; i < hosts.length; i++) {
    if (hosts[i]!.healthy && left-- === 0) return i;
  }
  throw new RangeError(`no healthy host number ${k} among ${hosts.length}`);
}
