import type { HostConfig } from "../config/types.ts";
import { type Address, formatAddress } from "../net/address.ts";
import { Stats } from "../observe/stats.ts";
import { createHostStats, type HostStats } from "./cluster-stats.ts";
import type { Host } from "./types.ts";

class UpstreamHost implements Host {
  readonly address: Address;
  readonly addressText: string;
  readonly hostname: string;
  readonly weight: number;
  readonly clusterName: string;
  readonly stats: HostStats;
  healthy = true;

  constructor(config: HostConfig, clusterName: string, stats: Stats) {
    this.address = config.address;
    this.addressText = formatAddress(config.address);
    this.hostname = config.hostname;
    this.weight = config.weight;
    this.clusterName = clusterName;
    this.stats = createHostStats(stats, clusterName, this.addressText);
  }

  get activeRequests(): number {
    return this.stats.rqActive.value;
  }

  get activeConnections(): number {
    return this.stats.cxActive.value;
  }
}

/**
 * Builds the live Host for one configured endpoint of `clusterName`, its counters registered in
 * `stats` (a private registry when none is given, for tests). The host starts healthy: with no
 * health checker yet, a configured host is presumed reachable.
 */
export function createHost(config: HostConfig, clusterName: string, stats: Stats = new Stats()): Host {
  return new UpstreamHost(config, clusterName, stats);
}
