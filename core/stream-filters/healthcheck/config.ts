import type { ConfigContext } from "../../config/context.ts";
import { ConfigError } from "../../errors.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import { describeValue } from "../../config/keys.ts";
import type { StreamFilterConfigParser } from "../types.ts";

/**
 * MOSN's `healthcheck` stream filter config (pkg/config/v2/filter.go HealthCheckFilterConfig).
 * Read and checked so a typo still fails, though the filter has nothing to do (see filter.ts).
 */
export interface HealthCheckConfig {
  /** Let heartbeats through to the upstream instead of answering them (MOSN's `passthrough`). */
  readonly passthrough: boolean;
  /** MOSN's `cache_time`, never read by MOSN's filter (a "todo: support cached pass through"). */
  readonly cacheTimeMs: number;
  /** MOSN's `endpoint`, never read by MOSN's filter. */
  readonly endpoint: string;
  /** MOSN's `cluster_min_healthy_percentages`, never read by MOSN's filter (a "todo"). */
  readonly clusterMinHealthyPercentages: Readonly<Record<string, number>>;
}

const HEALTHCHECK: ObjectSchema = {
  fields: ["passthrough", "cache_time", "endpoint", "cluster_min_healthy_percentages"],
};

/** Why the filter does nothing: the one warning a `healthcheck` entry gets. */
export const HEALTHCHECK_NOTHING_TO_DO =
  "healthcheck has nothing to do: SOFARPC heartbeats are answered by the xprotocol codec before any stream filter runs, as MOSN's own stream layer answers them (MOSN dropped this filter in v0.11)";

export function parseHealthCheckConfig(raw: unknown, path: string, ctx: ConfigContext): HealthCheckConfig {
  const f = readObject(raw ?? {}, path, ctx, HEALTHCHECK);
  const passthrough = f.boolean("passthrough", false);
  const cacheTimeMs = f.duration("cache_time", 0);
  const endpoint = f.string("endpoint", "");
  const percentages: Record<string, number> = {};
  const where = f.pathOf("cluster_min_healthy_percentages");
  const given = f.get("cluster_min_healthy_percentages");
  if (given !== undefined) {
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
      const got = describeValue(given);
      throw new ConfigError(where, `expected an object of cluster names to percentages, got ${got}`);
    }
    for (const [cluster, value] of Object.entries(given as Record<string, unknown>)) {
      if (typeof value !== "number" || !(value >= 0 && value <= 100)) {
        const got = describeValue(value);
        throw new ConfigError(where, `${JSON.stringify(cluster)}: expected a percentage 0-100, got ${got}`);
      }
      percentages[cluster] = value;
    }
  }
  ctx.warn(
    path,
    passthrough ? `${HEALTHCHECK_NOTHING_TO_DO}; passthrough cannot send them upstream` : HEALTHCHECK_NOTHING_TO_DO,
  );
  return Object.freeze({
    passthrough,
    cacheTimeMs,
    endpoint,
    clusterMinHealthyPercentages: Object.freeze(percentages),
  });
}

export const healthCheckConfigParser: StreamFilterConfigParser<HealthCheckConfig> = {
  parseConfig: parseHealthCheckConfig,
};
