import type { ConfigContext } from "../config/context.ts";
import type { Address } from "../net/address.ts";
import type { Runtime } from "../net/runtime.ts";
import type { Logger } from "../observe/logger.ts";
import type { Stats } from "../observe/stats.ts";
import type { ForwardRoute } from "../router/types.ts";
import type { Pools } from "../pool/pools.ts";
import type { HeaderMap } from "../stream/header-map.ts";
import type { Protocol } from "../stream/protocol.ts";
import type { ClusterManager } from "../upstream/cluster-manager.ts";
import type { Host, RandomSource } from "../upstream/types.ts";

/** What a request-headers hook returns. */
export const StreamFilterStatus = {
  /** Go on to the next filter and phase. */
  Continue: 0,
  /** Hold the request here until the filter calls `handle.continueRequest()` (a delay, a lookup). */
  Stop: 1,
  /**
   * Hold the request until its whole body is in (bounded by the proxy's body limit: past it the
   * client gets 413), hand it to `onRequestBody`, then go on.
   */
  StopAndBuffer: 2,
} as const;
export type StreamFilterStatus = (typeof StreamFilterStatus)[keyof typeof StreamFilterStatus];

/** Where a filter's request-headers hook runs: MOSN's receiver filter phases. */
export type RequestFilterPhase = "before_route" | "after_route" | "after_choose_host";

/** What a filter instance may see and do for its request. */
export interface StreamFilterHandle {
  /** The request's headers, pseudo-keys included; a filter may change them before they are sent. */
  readonly requestHeaders: HeaderMap;
  readonly downstreamAddress: Address;
  /** `[connectionId,streamId]`, for log lines. */
  readonly tag: string;
  /** The route once matched (from `after_route` on); undefined for a local answer or no route. */
  readonly route: ForwardRoute | undefined;
  /** The host of the current try (from `after_choose_host` on). */
  readonly host: Host | undefined;
  /** Resumes a request the filter held with `Stop`; nothing if the request already ended. */
  continueRequest(): void;
  /** Answers the request with a response of the proxy's own; the request ends there. */
  sendLocalReply(status: number, body: string, headers?: HeaderMap): void;
  /** Whether the request has ended (answered, reset, timed out): a late timer can check. */
  readonly done: boolean;
  /** The protocol the request goes upstream in (the listener's, or the route's). */
  readonly upstreamProtocol: Protocol;
}

/**
 * One filter instance, made per request by its factory. Every hook is optional. Request hooks
 * run in the configured order; response hooks see the upstream's response and the proxy's own
 * answers alike (MOSN's sender filters), so headers added there reach every response.
 */
export interface StreamFilter {
  /** When `onRequestHeaders` runs; default `before_route`. */
  readonly phase?: RequestFilterPhase;
  onRequestHeaders?(headers: HeaderMap, end: boolean): StreamFilterStatus;
  /** The whole request body, after this filter asked for it with `StopAndBuffer`; may return a replacement. */
  onRequestBody?(body: Uint8Array): Uint8Array | void;
  /** Each request body chunk as it arrives; may return a replacement chunk. */
  onRequestData?(chunk: Uint8Array, end: boolean): Uint8Array | void;
  onRequestTrailers?(trailers: HeaderMap): void;
  /** Response headers (`:status` included), before they go to the client; change them in place. */
  onResponseHeaders?(headers: HeaderMap, end: boolean): void;
  /** Each response body chunk; may return a replacement chunk. */
  onResponseData?(chunk: Uint8Array, end: boolean): Uint8Array | void;
  onResponseTrailers?(trailers: HeaderMap): void;
  /** The request is over, however it ended: release timers and anything else held. */
  onDestroy?(): void;
}

/** What a stream filter factory may use when it builds its per-listener state. */
export interface StreamFilterFactoryContext {
  readonly runtime: Runtime;
  readonly clusterManager: ClusterManager;
  /** The server's upstream pools, for a filter that sends requests of its own (mirror). */
  readonly pools: Pools;
  readonly random: RandomSource;
  readonly stats: Stats;
  readonly logger: Logger;
  /** The listener's name, for stat prefixes and logs. */
  readonly listenerName: string;
}

/** Validates one stream filter's `config` (errors name a path under `path`). */
export interface StreamFilterConfigParser<C = unknown> {
  parseConfig(raw: unknown, path: string, ctx: ConfigContext): C;
}

/** Makes one filter instance for one request. */
export type StreamFilterMaker = (handle: StreamFilterHandle) => StreamFilter;

/**
 * One stream filter type (`stream_filters[].type`). `create` runs once per listener with the
 * validated config and returns what makes a filter for each request.
 */
export interface StreamFilterFactory<C = unknown> {
  readonly type: string;
  readonly configParser: StreamFilterConfigParser<C>;
  create(config: C, ctx: StreamFilterFactoryContext): StreamFilterMaker;
}
