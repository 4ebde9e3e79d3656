import type { HostConfig } from "../config/types.ts";
import { formatAddress } from "../net/address.ts";
import type { Host } from "./types.ts";

/**
 * Builds the live Host for one configured endpoint of `clusterName`. Counters start at 0 and the
 * host starts healthy: with no health checker yet, a configured host is presumed reachable.
 */
export function createHost(config: HostConfig, clusterName: string): Host {
  return {
    address: config.address,
    addressText: formatAddress(config.address),
    hostname: config.hostname,
    weight: config.weight,
    clusterName,
    activeRequests: 0,
    activeConnections: 0,
    connectFailures: 0,
    healthy: true,
  };
}
