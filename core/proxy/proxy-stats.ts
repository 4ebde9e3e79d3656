import type { Metric, Stats } from "../observe/stats.ts";

/** The L7 proxy's counters, under `http.<stat_prefix or listener>.` with Envoy's names. */
export interface ProxyStats {
  readonly rqTotal: Metric;
  readonly rqActive: Metric;
  /** Responses by class: [1xx, 2xx, 3xx, 4xx, 5xx]. */
  readonly rqByClass: readonly Metric[];
  /** Requests the client reset (went away) before their response ended. */
  readonly rqRxReset: Metric;
  readonly noRoute: Metric;
  readonly noCluster: Metric;
  readonly noHealthyUpstream: Metric;
  readonly rqDirectResponse: Metric;
  readonly rqRedirect: Metric;
  /** Stream filter hooks that threw (each cost its request a 500 or a reset). */
  readonly filterErrors: Metric;
}

export function createProxyStats(stats: Stats, prefix: string): ProxyStats {
  const p = `http.${prefix}.`;
  return {
    rqTotal: stats.counter(p + "downstream_rq_total"),
    rqActive: stats.gauge(p + "downstream_rq_active"),
    rqByClass: [1, 2, 3, 4, 5].map((c) => stats.counter(`${p}downstream_rq_${c}xx`)),
    rqRxReset: stats.counter(p + "downstream_rq_rx_reset"),
    noRoute: stats.counter(p + "no_route"),
    noCluster: stats.counter(p + "no_cluster"),
    noHealthyUpstream: stats.counter(p + "no_healthy_upstream"),
    rqDirectResponse: stats.counter(p + "rq_direct_response"),
    rqRedirect: stats.counter(p + "rq_redirect"),
    filterErrors: stats.counter(p + "stream_filter_error"),
  };
}
