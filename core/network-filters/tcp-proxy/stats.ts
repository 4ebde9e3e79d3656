import type { Metric, Stats } from "../../observe/stats.ts";

/** tcp_proxy counters, under `tcp_proxy.<stat_prefix or listener name>.`. */
export interface TcpProxyStats {
  readonly downstreamCxTotal: Metric;
  readonly downstreamCxNoRoute: Metric;
  readonly upstreamConnectFail: Metric;
  readonly upstreamConnectTimeout: Metric;
  readonly upstreamNoHealthyHost: Metric;
  readonly upstreamConnectAttemptsExceeded: Metric;
  readonly upstreamCxTotal: Metric;
  readonly upstreamCxActive: Metric;
  readonly upstreamBytesRead: Metric;
  readonly upstreamBytesWritten: Metric;
}

export function createTcpProxyStats(stats: Stats, prefix: string): TcpProxyStats {
  const p = `tcp_proxy.${prefix}.`;
  return {
    downstreamCxTotal: stats.counter(p + "downstream_cx_total"),
    downstreamCxNoRoute: stats.counter(p + "downstream_cx_no_route"),
    upstreamConnectFail: stats.counter(p + "upstream_cx_connect_fail"),
    upstreamConnectTimeout: stats.counter(p + "upstream_cx_connect_timeout"),
    upstreamNoHealthyHost: stats.counter(p + "upstream_cx_no_healthy_host"),
    upstreamConnectAttemptsExceeded: stats.counter(p + "upstream_cx_connect_attempts_exceeded"),
    upstreamCxTotal: stats.counter(p + "upstream_cx_total"),
    upstreamCxActive: stats.gauge(p + "upstream_cx_active"),
    upstreamBytesRead: stats.counter(p + "upstream_cx_rx_bytes_total"),
    upstreamBytesWritten: stats.counter(p + "upstream_cx_tx_bytes_total"),
  };
}
