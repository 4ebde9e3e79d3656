import type { ClusterConfig } from "../config/types.ts";
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

  /** Builds the hosts from `config.hosts` and one balancer over them with `lbFactory`. */
  constructor(config: ClusterConfig, lbFactory: LbFactory, random: RandomSource) {
    this.name = config.name;
    this.config = config;
    // Frozen because balancers index into this array and assume it never changes under them.
    this.hosts = Object.freeze(config.hosts.map((h) => createHost(h, config.name)));
    this.lb = lbFactory(this.hosts, random);
    this.stats = createClusterStats();
  }
}
