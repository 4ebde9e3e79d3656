import type { HeaderMap } from "../stream/header-map.ts";
import type { RandomSource } from "../upstream/types.ts";

/*
 * The router's contract with the L7 proxy. A RouterConfig is built once from the config file
 * (`servers[].routers[]` or a `connection_manager` filter) and shared by every request; every
 * method is synchronous and allocates nothing per request beyond the result it returns (a
 * redirect's location, a cluster named by a request header).
 */

export type { RandomSource } from "../upstream/types.ts";

/**
 * A router config by name: what a `proxy` filter's `router_config_name` refers to. Its shape is
 * the proxy's RouteResolver (core/proxy/types.ts), so the proxy calls it directly.
 */
export interface RouterConfig {
  readonly name: string;
  /**
   * Picks the route for a request. `headers` are the request's, with the pseudo-keys the server
   * codec fills (`:authority` picks the virtual host; `:path`, with its query string, `:method`
   * and any other header take part in route matching). `random` picks among weighted clusters
   * (default Math.random). Returns undefined when no virtual host takes the authority or no
   * route of it matches: the proxy answers 404. Never throws.
   */
  route(headers: HeaderMap, random?: RandomSource): RouteMatch | undefined;
}

export type RouteMatch = ForwardMatch | RedirectMatch | DirectMatch;

/** Where a match came from, for logs and stats; one object per configured route. */
export interface RouteInfo {
  readonly routerConfigName: string;
  /** The virtual host's `name`, or `virtual_hosts[i]` when it has none. */
  readonly virtualHost: string;
  /** The route's index in its virtual host's `routers`. */
  readonly routeIndex: number;
  /** `router/virtual host/index`, for a log line. */
  readonly name: string;
}

/** Send the request upstream, by `route`. */
export interface ForwardMatch {
  readonly kind: "forward";
  readonly route: ForwardRoute;
}

/** Answer with a redirect: `status` (301, 302, 303, 307 or 308) and this `location`. */
export interface RedirectMatch {
  readonly kind: "redirect";
  readonly status: number;
  /** The absolute URL to send as `location`. */
  readonly location: string;
  readonly info: RouteInfo;
  /** As ForwardRoute's: the virtual host's and router config's response headers (Envoy applies them to redirects). */
  rewriteResponse(headers: HeaderMap): void;
}

/** Answer with this status and body (MOSN's direct_response), without going upstream. */
export interface DirectMatch {
  readonly kind: "direct";
  readonly status: number;
  /** The body as configured; "" for none. */
  readonly body: string;
  readonly info: RouteInfo;
  /** As ForwardRoute's: the virtual host's and router config's response headers (Envoy applies them to direct responses). */
  rewriteResponse(headers: HeaderMap): void;
}

/** A forwarding route, with the cluster already chosen for this request. */
export interface ForwardRoute {
  /** For logs: RouteInfo.name. */
  readonly name: string;
  readonly info: RouteInfo;
  /**
   * The cluster, already chosen among `weighted_clusters` or read from `cluster_header`.
   * Undefined when `cluster_header` names a header the request lacks (or has empty). A name from
   * a header may also name no configured cluster; Envoy answers both with its
   * cluster_not_found_response_code, 503 by default.
   */
  readonly cluster: string | undefined;
  /** The route's `timeout`; undefined means the proxy's default (MOSN: 60 s). */
  readonly timeoutMs: number | undefined;
  /** The route's `retry_policy`, or undefined when it has none. */
  readonly retryPolicy: RetryPolicy | undefined;
  /** Clusters to shadow the request to; empty for most routes. */
  readonly mirrorPolicies: readonly MirrorPolicy[];
  /**
   * The route's `upstream_protocol` (MOSN's protocol names, as written), which in MOSN overrides
   * the `proxy` filter's; undefined when the route sets none.
   */
  readonly upstreamProtocol: string | undefined;
  /**
   * Rewrites the request before it goes upstream, in MOSN's order: request headers added and
   * removed by the route, then its virtual host, then the router config; then `host_rewrite` (or
   * `auto_host_rewrite_header`) on `:authority`; then `prefix_rewrite` on `:path`, keeping the
   * query and recording the original in `x-mosn-original-path`.
   */
  rewriteRequest(headers: HeaderMap): void;
  /**
   * For `auto_host_rewrite`: sets `:authority` to the chosen host's `hostname` (from the
   * cluster's host config) once the host is known, unless the hostname is empty or the route
   * rewrites the host another way. Call it for each try, after rewriteRequest.
   */
  rewriteHostForUpstream(headers: HeaderMap, upstreamHostname: string): void;
  /**
   * Applies `response_headers_to_add` then `response_headers_to_remove` of the route, then of
   * its virtual host, then of the router config (MOSN's order).
   */
  rewriteResponse(headers: HeaderMap): void;
}

/** MOSN's route `retry_policy`. */
export interface RetryPolicy {
  /** MOSN's `retry_on` is a switch: true retries on connect failures, resets and timeouts of a try. */
  readonly retryOn: boolean;
  /** `num_retries`: tries after the first; 0 in the file means MOSN's 3. */
  readonly numRetries: number;
  /** `retry_timeout`: each try's own timeout, 0 for none. Applies even when retryOn is false (MOSN's parseProxyTimeout). */
  readonly perTryTimeoutMs: number;
  /** `status_codes` (MOSN after v0.26): with retryOn, the response statuses retried; empty: every 5xx. */
  readonly statusCodes: readonly number[];
}

/** One `request_mirror_policies` entry: shadow `percent` of the requests to `cluster`. */
export interface MirrorPolicy {
  readonly cluster: string;
  /** 0-100. */
  readonly percent: number;
  /** Whether this request is mirrored: `percent` out of 100, drawn from `random`. */
  sampled(random: RandomSource): boolean;
}
