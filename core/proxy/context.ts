import type { Runtime } from "../net/runtime.ts";
import type { TimerLists } from "../net/timer-lists.ts";
import type { Logger } from "../observe/logger.ts";
import type { Pools } from "../pool/pools.ts";
import type { CodecEnv, Protocol } from "../stream/protocol.ts";
import type { ClusterManager } from "../upstream/cluster-manager.ts";
import type { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import type { RandomSource } from "../upstream/types.ts";
import type { ProxyStats } from "./proxy-stats.ts";
import type { RouterConfig } from "../router/types.ts";
import type { StreamFilterMaker } from "../stream-filters/types.ts";

/** Limits and switches of one proxy filter, with MOSN's and Envoy's defaults. */
export interface ProxySettings {
  /** A request's timeout when its route sets none (MOSN's types.GlobalTimeout, 60 s). */
  readonly defaultTimeoutMs: number;
  /**
   * Request body kept for retries and while the upstream connects. Past it the request is still
   * streamed, but it can no longer be retried, and while no upstream is ready the client is
   * paused instead of buffered.
   */
  readonly requestBufferLimitBytes: number;
  /** Append the client's address to X-Forwarded-For and set X-Forwarded-Proto when absent (Envoy, nginx). */
  readonly appendForwardedFor: boolean;
  /** The most a stream filter that asks for the whole request body may get; past it the client gets 413. */
  readonly maxRequestBodyBytes: number;
  /** Normalize `:path` (RFC 3986 §6.2.2) before filters and routes see it and upstreams get it. */
  readonly normalizePath: boolean;
}

export const DEFAULT_PROXY_SETTINGS: ProxySettings = Object.freeze({
  defaultTimeoutMs: 60_000,
  requestBufferLimitBytes: 64 * 1024,
  appendForwardedFor: true,
  maxRequestBodyBytes: 1024 * 1024,
  normalizePath: true,
});

/** What every request of one proxy filter shares; built once per listener. */
export interface ProxyContext {
  readonly runtime: Runtime;
  /** Route and per-try timeouts: one list per duration instead of a runtime timer per request. */
  readonly timers: TimerLists;
  readonly clusterManager: ClusterManager;
  readonly connectionFactory: UpstreamConnectionFactory;
  readonly pools: Pools;
  readonly router: RouterConfig;
  /** Registered protocols by lower-case name, for a route's `upstream_protocol`. */
  readonly protocols: ReadonlyMap<string, Protocol>;
  readonly logger: Logger;
  readonly stats: ProxyStats;
  /** What the listener's server codecs get: timers, the process's stats, the log. */
  readonly codecEnv: CodecEnv;
  readonly random: RandomSource;
  readonly settings: ProxySettings;
  /** The listener's stream filters, one maker each, in configured order. */
  readonly streamFilters: readonly StreamFilterMaker[];
  /** Name for logs: the listener. */
  readonly name: string;
}
