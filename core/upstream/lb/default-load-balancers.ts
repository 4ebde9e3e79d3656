import type { LbType } from "../../config/types.ts";
import type { LbFactory } from "../types.ts";
import { createLeastRequest } from "./least-request.ts";
import { createRandom } from "./random.ts";
import { createRoundRobin } from "./round-robin.ts";
import { createWeightedRoundRobin } from "./weighted-round-robin.ts";

/**
 * A fresh map of every built-in balancer by its MOSN `lb_type`. Each call builds a new map, so a
 * server or test may add or replace entries without touching anyone else's.
 */
export function defaultLoadBalancers(): Map<LbType, LbFactory> {
  return new Map<LbType, LbFactory>([
    ["LB_ROUNDROBIN", createRoundRobin],
    ["LB_RANDOM", createRandom],
    ["LB_WEIGHTED_ROUNDROBIN", createWeightedRoundRobin],
    ["LB_LEAST_REQUEST", createLeastRequest],
  ]);
}
