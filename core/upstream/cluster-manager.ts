import type { ClusterConfig, LbType } from "../config/types.ts";
import { ConfigError } from "../errors.ts";
import { Stats } from "../observe/stats.ts";
import { Cluster } from "./cluster.ts";
import type { LbFactory, RandomSource } from "./types.ts";

/** Owns every cluster by name. Static clusters only: hosts are fixed at construction. */
export class ClusterManager {
  private readonly byName = new Map<string, Cluster>();

  /**
   * Builds one Cluster per config, taking each balancer from `lbFactories` by `lbType`.
   * Throws ConfigError (path `cluster_manager.clusters[i]...`) on a duplicate name or an
   * `lbType` with no factory, so a bad config fails before any port opens. Cluster and host
   * counters are registered in `stats` (a private registry when none is given).
   */
  constructor(
    configs: readonly ClusterConfig[],
    lbFactories: ReadonlyMap<LbType, LbFactory>,
    random: RandomSource,
    stats: Stats = new Stats(),
  ) {
    configs.forEach((config, i) => {
      const path = `cluster_manager.clusters[${i}]`;
      if (this.byName.has(config.name)) {
        throw new ConfigError(`${path}.name`, `duplicate cluster name ${JSON.stringify(config.name)}`);
      }
      const factory = lbFactories.get(config.lbType);
      if (factory === undefined) {
        throw new ConfigError(`${path}.lb_type`, `no load balancer registered for ${JSON.stringify(config.lbType)}`);
      }
      this.byName.set(config.name, new Cluster(config, factory, random, stats));
    });
  }

  /** The cluster called `name`, or undefined when there is none. */
  get(name: string): Cluster | undefined {
    return this.byName.get(name);
  }

  /** Cluster names in config order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Every cluster, in config order. */
  clusters(): Iterable<Cluster> {
    return this.byName.values();
  }
}
