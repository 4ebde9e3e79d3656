/**
 * Per-cluster counters, named after Envoy's/MOSN's stats (`upstream_cx_total` is `cxTotal`).
 * Plain fields so the hot path bumps them with no lookup; a stats registry reads them.
 */
export interface ClusterStats {
  /** upstream_cx_total: connections opened, successful or not. */
  cxTotal: number;
  /** upstream_cx_active: connections open now. */
  cxActive: number;
  /** upstream_cx_connect_fail: connection attempts that failed (refused, reset, timed out). */
  cxConnectFail: number;
  /** upstream_cx_connect_timeout: the subset of failures that were timeouts. */
  cxConnectTimeout: number;
  /** upstream_rq_total: requests (or L4 sessions) sent upstream. */
  rqTotal: number;
}

/** Zeroed counters for a new cluster. */
export function createClusterStats(): ClusterStats {
  return { cxTotal: 0, cxActive: 0, cxConnectFail: 0, cxConnectTimeout: 0, rqTotal: 0 };
}
