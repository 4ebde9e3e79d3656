import type { StreamFilter, StreamFilterFactory, StreamFilterMaker } from "../types.ts";
import { type HealthCheckConfig, healthCheckConfigParser } from "./config.ts";

/** A filter with no hooks: the chain calls nothing on it. */
const NOTHING: StreamFilter = Object.freeze({});

/**
 * MOSN's `healthcheck` stream filter, accepted so MOSN's sofarpc sample configs load; it does
 * nothing, and its config says so in a warning.
 *
 * The filter (pkg/filter/stream/healthcheck/sofarpc, last in MOSN v0.10) had one behaviour: a
 * SOFARPC heartbeat request was answered with a heartbeat ack by the filter itself, unless
 * `passthrough` was set; `cache_time` and `cluster_min_healthy_percentages` were read and never
 * used ("todo"). MOSN v0.11 moved heartbeat answers into the xprotocol stream layer
 * (pkg/stream/xprotocol/conn.go handleRequest) and removed the filter, so MOSN v0.26.0 logs
 * "get stream filter failed, type: healthcheck" and skips it. Here too heartbeats are answered by
 * the xprotocol server codec and never become a stream, so no stream filter ever sees one.
 */
export const healthCheckFilterFactory: StreamFilterFactory<HealthCheckConfig> = {
  type: "healthcheck",
  configParser: healthCheckConfigParser,
  create(): StreamFilterMaker {
    return () => NOTHING;
  },
};
