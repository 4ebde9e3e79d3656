export { defaultLoadBalancers } from "./default-load-balancers.ts";
export { HostWalk } from "./host-walk.ts";
export { createLeastRequest } from "./least-request.ts";
export { createRandom } from "./random.ts";
export { createRoundRobin } from "./round-robin.ts";
export { createWeightedRoundRobin } from "./weighted-round-robin.ts";
