import type { NetworkFilterConfigParser } from "../config/registry-types.ts";
import type { Connection } from "../net/connection.ts";
import type { Runtime } from "../net/runtime.ts";
import type { Logger } from "../observe/logger.ts";
import type { Stats } from "../observe/stats.ts";
import type { Pools } from "../pool/pools.ts";
import type { RouterConfig } from "../router/types.ts";
import type { Protocol } from "../stream/protocol.ts";
import type { StreamFilterMaker } from "../stream-filters/types.ts";
import type { ClusterManager } from "../upstream/cluster-manager.ts";
import type { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import type { RandomSource } from "../upstream/types.ts";

/** What a filter factory may use when it builds its per-listener state. */
export interface FilterFactoryContext {
  readonly runtime: Runtime;
  readonly clusterManager: ClusterManager;
  /** Makes every upstream connection, with the cluster's timeouts and counters. */
  readonly connectionFactory: UpstreamConnectionFactory;
  readonly stats: Stats;
  readonly logger: Logger;
  /** Upstream connection pools, shared by every listener of the server. */
  readonly pools: Pools;
  /** Router configs by name (`servers[].routers[]`, `connection_manager` filters). */
  readonly routers: ReadonlyMap<string, RouterConfig>;
  /** Registered L7 protocols by lower-case name. */
  readonly protocols: ReadonlyMap<string, Protocol>;
  readonly random: RandomSource;
  /** The listener's stream filters, built once, in configured order (for the `proxy` filter). */
  readonly streamFilters: readonly StreamFilterMaker[];
  /** The listener's name, for stat prefixes and logs. */
  readonly listenerName: string;
}

/** Adds this filter's per-connection instances to a new connection. */
export type FilterInstaller = (connection: Connection) => void;

/**
 * One network filter type (`filter_chains[].filters[].type`). `create` runs once per listener
 * with the validated config and returns the installer run for every accepted connection.
 */
export interface NetworkFilterFactory<C = unknown> {
  readonly type: string;
  readonly configParser: NetworkFilterConfigParser<C>;
  create(config: C, ctx: FilterFactoryContext): FilterInstaller;
}
