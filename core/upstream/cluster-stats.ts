import type { ConnectionStats } from "../net/connection.ts";
import type { Metric, Stats } from "../observe/stats.ts";

/**
 * One cluster's counters in the stats registry, under `cluster.<name>.` with Envoy's names
 * (MOSN keeps the same counters under `upstream` with a `cluster` label: `connection_total` is
 * `upstream_cx_total`). Held as references so the hot path bumps them with no lookup.
 */
export interface ClusterStats {
  /** Connections opened (attempts included, successful or not). */
  readonly cxTotal: Metric;
  /** Connections open or connecting now. */
  readonly cxActive: Metric;
  /** Connect attempts that failed (refused, unreachable, timed out). */
  readonly cxConnectFail: Metric;
  /** The subset of connect failures that were timeouts. */
  readonly cxConnectTimeout: Metric;
  /** Connection requests that gave up after `max_connect_attempts` failed attempts. */
  readonly cxConnectAttemptsExceeded: Metric;
  /** Connection requests that found no host to try. */
  readonly cxNoneHealthy: Metric;
  /** Established connections we closed. */
  readonly cxDestroyLocal: Metric;
  /** Established connections the host closed or reset. */
  readonly cxDestroyRemote: Metric;
  readonly cxRxBytes: Metric;
  readonly cxTxBytes: Metric;
  /** Requests (for L4, sessions) sent to a host. */
  readonly rqTotal: Metric;
  readonly rqActive: Metric;
  /** Requests that hit the route's timeout waiting for the response. */
  readonly rqTimeout: Metric;
  /** Tries that hit the per-try timeout (retry_policy.retry_timeout). */
  readonly rqPerTryTimeout: Metric;
  /** Tries made again on another host. */
  readonly rqRetry: Metric;
  /** Requests refused because the pool's pending queue was full. */
  readonly rqPendingOverflow: Metric;
  /** The counters every upstream Connection of the cluster bumps itself. */
  readonly connection: ConnectionStats;
}

export function createClusterStats(stats: Stats, cluster: string): ClusterStats {
  const p = `cluster.${cluster}.`;
  const cxTotal = stats.counter(p + "upstream_cx_total");
  const cxActive = stats.gauge(p + "upstream_cx_active");
  const cxRxBytes = stats.counter(p + "upstream_cx_rx_bytes_total");
  const cxTxBytes = stats.counter(p + "upstream_cx_tx_bytes_total");
  return {
    cxTotal,
    cxActive,
    cxConnectFail: stats.counter(p + "upstream_cx_connect_fail"),
    cxConnectTimeout: stats.counter(p + "upstream_cx_connect_timeout"),
    cxConnectAttemptsExceeded: stats.counter(p + "upstream_cx_connect_attempts_exceeded"),
    cxNoneHealthy: stats.counter(p + "upstream_cx_none_healthy"),
    cxDestroyLocal: stats.counter(p + "upstream_cx_destroy_local"),
    cxDestroyRemote: stats.counter(p + "upstream_cx_destroy_remote"),
    cxRxBytes,
    cxTxBytes,
    rqTotal: stats.counter(p + "upstream_rq_total"),
    rqActive: stats.gauge(p + "upstream_rq_active"),
    rqTimeout: stats.counter(p + "upstream_rq_timeout"),
    rqPerTryTimeout: stats.counter(p + "upstream_rq_per_try_timeout"),
    rqRetry: stats.counter(p + "upstream_rq_retry"),
    rqPendingOverflow: stats.counter(p + "upstream_rq_pending_overflow"),
    connection: { total: cxTotal, active: cxActive, bytesRead: cxRxBytes, bytesWritten: cxTxBytes },
  };
}

/**
 * One host's counters, under `cluster.<name>.host.<address>.` with the names Envoy's admin
 * `/clusters` prints per host (`cx_total`, `rq_active`, ...).
 */
export interface HostStats {
  readonly cxTotal: Metric;
  readonly cxActive: Metric;
  readonly cxConnectFail: Metric;
  readonly rqTotal: Metric;
  /** Read by the least-request balancer. */
  readonly rqActive: Metric;
}

export function createHostStats(stats: Stats, cluster: string, address: string): HostStats {
  const p = `cluster.${cluster}.host.${address}.`;
  return {
    cxTotal: stats.counter(p + "cx_total"),
    cxActive: stats.gauge(p + "cx_active"),
    cxConnectFail: stats.counter(p + "cx_connect_fail"),
    rqTotal: stats.counter(p + "rq_total"),
    rqActive: stats.gauge(p + "rq_active"),
  };
}
