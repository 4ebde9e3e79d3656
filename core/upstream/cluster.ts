import type { ClusterConfig } from "../config/types.ts";
import type { Stats } from "../observe/stats.ts";
import { type ClusterStats, createClusterStats } from "./cluster-stats.ts";
import { createHost } from "./host.ts";
import type { Host, LbFactory, LoadBalancer, RandomSource } from "./types.ts";

/** One upstream cluster: its config, its static hosts, the balancer over them and its counters. */
export class Cluster {
  readonly name: string;
  readonly config: ClusterConfig;
  readonly hosts: readonly Host[];
  readonly lb: LoadBalancer;
  readonly stats: ClusterStats;

  /** Builds the hosts from `config.hosts`, one balancer over them, and registers the counters in `stats`. */
  constructor(config: ClusterConfig, lbFactory: LbFactory, random: RandomSource, stats: Stats) {
    this.name = config.name;
    this.config = config;
    // Frozen because balancers index into this array and assume it never changes under them.
    this.hosts = Object.freeze(config.hosts.map((h) => createHost(h, config.name, stats)));
    this.lb = lbFactory(this.hosts, random);
    this.stats = createClusterStats(stats, config.name);
  }
}
