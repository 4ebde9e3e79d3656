import type { HeaderMap } from "../stream/header-map.ts";

/** The retry policy of a route (MOSN's retry_policy). */
export interface RetryPolicy {
  /** MOSN's `retry_on`: also retry 5xx responses, per-try timeouts and connections lost mid-request. */
  readonly retryOn: boolean;
  /** Tries after the first; connection failures are retried up to this many times even without `retryOn`. */
  readonly numRetries: number;
  /** MOSN's `retry_timeout`: each try's own timeout; 0 = only the route's. */
  readonly perTryTimeoutMs: number;
}

/** What a route that forwards tells the proxy (the router implements it). */
export interface ForwardRoute {
  /** For logs: the virtual host and route. */
  readonly name: string;
  /** The cluster to send to, resolved through weights or `cluster_header`; undefined: none named. */
  readonly cluster: string | undefined;
  /** prefix_rewrite, host_rewrite and request header adds/removes, before choosing a host. */
  rewriteRequest(headers: HeaderMap): void;
  /** auto_host_rewrite, once the host is chosen. */
  rewriteHostForUpstream(headers: HeaderMap, upstreamHostname: string): void;
  /** Response header adds/removes. */
  rewriteResponse(headers: HeaderMap): void;
  /** The whole request's timeout; undefined: the proxy's default. */
  readonly timeoutMs: number | undefined;
  readonly retryPolicy: RetryPolicy | undefined;
  readonly mirrorPolicies: readonly { readonly cluster: string; readonly percent: number }[];
}

/** What the router decided for one request. */
export type RouteResult =
  | { readonly kind: "forward"; readonly route: ForwardRoute }
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  | { readonly kind: "direct"; readonly status: number; readonly body: string };

/** Finds the route for a request's headers (pseudo-keys included); undefined: no route (404). */
export interface RouteResolver {
  route(headers: HeaderMap): RouteResult | undefined;
}
