import type { HeaderMap } from "../stream/header-map.ts";
import type { RandomSource } from "./types.ts";

/** One `weighted_clusters[].cluster`. */
export interface WeightedCluster {
  readonly name: string;
  /** 0 never picks this cluster. */
  readonly weight: number;
}

/**
 * Which cluster a forwarding route sends to: a fixed `cluster_name`, the value of the header
 * `cluster_header` names, or one of `weighted_clusters` by weight.
 */
export type ClusterChoice =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "header"; readonly header: string }
  | { readonly kind: "weighted"; readonly clusters: readonly WeightedCluster[]; readonly totalWeight: number };

/**
 * The index in `clusters` a weighted choice picks: cluster i takes weight_i out of the total,
 * as Envoy does. (MOSN v0.26 walks a Go map in random order and its `<= 0` test gives the first
 * cluster one extra point, so its shares are off; they are not copied.)
 */
export function pickWeighted(clusters: readonly WeightedCluster[], totalWeight: number, random: RandomSource): number {
  // min() keeps a random source that returns 1 inside the range.
  let point = Math.min(Math.floor(random() * totalWeight), totalWeight - 1);
  for (let i = 0; i < clusters.length; i++) {
    point -= clusters[i]!.weight;
    if (point < 0) return i;
  }
  return clusters.length - 1;
}

/** The cluster a header names: its first value, or undefined when absent or empty. */
export function clusterFromHeader(headers: HeaderMap, header: string): string | undefined {
  const value = headers.get(header);
  return value === undefined || value === "" ? undefined : value;
}
