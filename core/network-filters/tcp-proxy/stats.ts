import type { Metric, Stats } from "../../observe/stats.ts";

/**
 * tcp_proxy counters, under `tcp_proxy.<stat_prefix or listener name>.` with Envoy's names.
 * Upstream connection counters (connects, failures, bytes) are the cluster's, under
 * `cluster.<name>.`, kept by the upstream connection factory.
 */
export interface TcpProxyStats {
  readonly downstreamCxTotal: Metric;
  readonly downstreamCxNoRoute: Metric;
  /** Sessions closed by the idle timeout. */
  readonly idleTimeout: Metric;
  /** Times the downstream was paused because the upstream's write queue was full. */
  readonly downstreamFlowControlPausedReading: Metric;
  readonly downstreamFlowControlResumedReading: Metric;
}

export function createTcpProxyStats(stats: Stats, prefix: string): TcpProxyStats {
  const p = `tcp_proxy.${prefix}.`;
  return {
    downstreamCxTotal: stats.counter(p + "downstream_cx_total"),
    downstreamCxNoRoute: stats.counter(p + "downstream_cx_no_route"),
    idleTimeout: stats.counter(p + "idle_timeout"),
    downstreamFlowControlPausedReading: stats.counter(p + "downstream_flow_control_paused_reading_total"),
    downstreamFlowControlResumedReading: stats.counter(p + "downstream_flow_control_resumed_reading_total"),
  };
}
