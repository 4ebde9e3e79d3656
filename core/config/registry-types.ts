import type { ConfigContext } from "./context.ts";

/**
 * Validates one network filter's `config` object into that filter's frozen config.
 * `raw` is undefined when the file gives no `config`. Errors are thrown as ConfigError naming a
 * path under `path`; warnings and cluster references go to `ctx`
 * (`ctx.referenceCluster(path, name)`), which the loader checks once every cluster is known.
 */
export interface NetworkFilterConfigParser<C = unknown> {
  parseConfig(raw: unknown, path: string, ctx: ConfigContext): C;
}

/** What the loader needs from the filter registry: the parser for each `filters[].type`. */
export interface ConfigRegistry {
  /** The parser for a filter type, matched exactly (as MOSN's map lookup does). */
  networkFilter(type: string): NetworkFilterConfigParser | undefined;
  /** Every registered type, for "did you mean" hints. */
  networkFilterTypes(): string[];
  /** The parser for a stream filter type (`stream_filters[].type`). */
  streamFilter(type: string): NetworkFilterConfigParser | undefined;
  streamFilterTypes(): string[];
}
