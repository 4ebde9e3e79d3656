import type { HeaderMap } from "../stream/header-map.ts";
import { type ClusterChoice, clusterFromHeader, pickWeighted } from "./cluster-choice.ts";
import type { HeaderMutationChain } from "./header-mutation.ts";
import type { PathMatcher } from "./path-matcher.ts";
import type { ForwardMatch, ForwardRoute, MirrorPolicy, RandomSource, RetryPolicy, RouteInfo } from "./types.ts";

/** MOSN's header for the path before `prefix_rewrite` (types.HeaderOriginalPath). */
export const ORIGINAL_PATH_HEADER = "x-mosn-original-path";

/**
 * How `:authority` is rewritten upstream. MOSN's precedence when several are set:
 * `host_rewrite`, then `auto_host_rewrite_header`, then `auto_host_rewrite`.
 */
export type HostRewrite =
  | { readonly kind: "none" }
  | { readonly kind: "fixed"; readonly host: string }
  | { readonly kind: "from_header"; readonly header: string }
  | { readonly kind: "upstream_hostname" };

/** A route's `route` action, validated. */
export interface ForwardActionSpec {
  readonly info: RouteInfo;
  readonly clusters: ClusterChoice;
  /** With the route's prefix or path matcher, whose matched part it replaces. */
  readonly prefixRewrite: { readonly matcher: PathMatcher; readonly replacement: string } | undefined;
  readonly hostRewrite: HostRewrite;
  /** Route, virtual host, router config. */
  readonly requestHeaders: HeaderMutationChain;
  readonly responseHeaders: HeaderMutationChain;
  readonly timeoutMs: number | undefined;
  readonly retryPolicy: RetryPolicy | undefined;
  readonly mirrorPolicies: readonly MirrorPolicy[];
  readonly upstreamProtocol: string | undefined;
}

/**
 * Forwards to a cluster. The matches for a fixed cluster, for each weighted cluster and for a
 * missing `cluster_header` are made once and returned to every request; only a cluster named by
 * a request header makes a new (small) pair.
 */
export class ForwardAction {
  private readonly spec: ForwardActionSpec;
  /** By weighted cluster index; one entry for a fixed cluster. */
  private readonly fixed: readonly ForwardMatch[];
  private readonly noCluster: ForwardMatch;

  constructor(spec: ForwardActionSpec) {
    this.spec = spec;
    const c = spec.clusters;
    const names = c.kind === "name" ? [c.name] : c.kind === "weighted" ? c.clusters.map((w) => w.name) : [];
    this.fixed = Object.freeze(names.map((n) => matchFor(this, n)));
    this.noCluster = matchFor(this, undefined);
    Object.freeze(this);
  }

  get info(): RouteInfo {
    return this.spec.info;
  }

  get timeoutMs(): number | undefined {
    return this.spec.timeoutMs;
  }

  get retryPolicy(): RetryPolicy | undefined {
    return this.spec.retryPolicy;
  }

  get mirrorPolicies(): readonly MirrorPolicy[] {
    return this.spec.mirrorPolicies;
  }

  get upstreamProtocol(): string | undefined {
    return this.spec.upstreamProtocol;
  }

  /** The match for this request: the cluster resolved through weights or the header. */
  select(headers: HeaderMap, random: RandomSource): ForwardMatch {
    const c = this.spec.clusters;
    switch (c.kind) {
      case "name":
        return this.fixed[0]!;
      case "weighted":
        return this.fixed[pickWeighted(c.clusters, c.totalWeight, random)]!;
      case "header": {
        const name = clusterFromHeader(headers, c.header);
        return name === undefined ? this.noCluster : matchFor(this, name);
      }
    }
  }

  rewriteRequest(headers: HeaderMap): void {
    const spec = this.spec;
    spec.requestHeaders.apply(headers);
    const host = spec.hostRewrite;
    if (host.kind === "fixed") headers.set(":authority", host.host);
    else if (host.kind === "from_header") {
      const value = headers.get(host.header);
      if (value !== undefined && value !== "") headers.set(":authority", value);
    }
    if (spec.prefixRewrite !== undefined) {
      this.rewritePath(headers, spec.prefixRewrite.matcher, spec.prefixRewrite.replacement);
    }
  }

  rewriteHostForUpstream(headers: HeaderMap, upstreamHostname: string): void {
    if (this.spec.hostRewrite.kind === "upstream_hostname" && upstreamHostname !== "") {
      headers.set(":authority", upstreamHostname);
    }
  }

  rewriteResponse(headers: HeaderMap): void {
    this.spec.responseHeaders.apply(headers);
  }

  /**
   * MOSN's finalizePathHeader: the matched prefix (or, for a `path` match, the whole path) is
   * replaced, the query string kept. A path that no longer matches (a filter changed it after
   * routing) is left alone, as MOSN leaves it.
   */
  private rewritePath(headers: HeaderMap, matcher: PathMatcher, replacement: string): void {
    const path = headers.get(":path");
    if (path === undefined) return;
    const q = path.indexOf("?");
    const pathEnd = q < 0 ? path.length : q;
    if (!matcher.matches(path, pathEnd)) return;
    const cut = matcher.kind === "prefix" ? matcher.text.length : pathEnd;
    headers.set(ORIGINAL_PATH_HEADER, path);
    headers.set(":path", replacement + path.slice(cut));
  }
}

function matchFor(action: ForwardAction, cluster: string | undefined): ForwardMatch {
  return Object.freeze({ kind: "forward", route: new ClusterRoute(action, cluster) });
}

/** The route route() hands out for one cluster; the per-route parts live in the action. */
class ClusterRoute implements ForwardRoute {
  readonly name: string;
  readonly info: RouteInfo;
  readonly timeoutMs: number | undefined;
  readonly retryPolicy: RetryPolicy | undefined;
  readonly mirrorPolicies: readonly MirrorPolicy[];
  readonly upstreamProtocol: string | undefined;

  constructor(
    private readonly action: ForwardAction,
    readonly cluster: string | undefined,
  ) {
    this.info = action.info;
    this.name = action.info.name;
    this.timeoutMs = action.timeoutMs;
    this.retryPolicy = action.retryPolicy;
    this.mirrorPolicies = action.mirrorPolicies;
    this.upstreamProtocol = action.upstreamProtocol;
    Object.freeze(this);
  }

  rewriteRequest(headers: HeaderMap): void {
    this.action.rewriteRequest(headers);
  }

  rewriteHostForUpstream(headers: HeaderMap, upstreamHostname: string): void {
    this.action.rewriteHostForUpstream(headers, upstreamHostname);
  }

  rewriteResponse(headers: HeaderMap): void {
    this.action.rewriteResponse(headers);
  }
}
