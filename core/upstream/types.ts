import type { Address } from "../net/address.ts";
import type { HostStats } from "./cluster-stats.ts";

/** One upstream endpoint of a cluster, with the live counters balancers and stats read. */
export interface Host {
  readonly address: Address;
  /** "host:port" as configured, for logs and stat names. */
  readonly addressText: string;
  readonly hostname: string;
  readonly weight: number;
  readonly clusterName: string;
  /** This host's counters in the stats registry; the upstream connection factory keeps them. */
  readonly stats: HostStats;
  /** Requests (or, for L4, sessions) in flight to this host; least-request reads it. */
  readonly activeRequests: number;
  /** Upstream connections to this host, open or connecting. */
  readonly activeConnections: number;
  healthy: boolean;
}

/** What a balancer may look at when choosing (hash keys etc. later). */
export interface LbContext {
  readonly downstreamAddress?: Address;
}

/**
 * Picks hosts of one host set. Built once per host set; `choose` yields the first choice first
 * and then further distinct hosts, so a retry keeps iterating instead of choosing afresh.
 */
export interface LoadBalancer {
  readonly type: string;
  choose(ctx: LbContext): Iterator<Host>;
}

/** Random source injected so distributions can be tested deterministically. */
export type RandomSource = () => number;

/** Builds a balancer for one host set; called again whenever the host set changes. */
export type LbFactory = (hosts: readonly Host[], random: RandomSource) => LoadBalancer;
