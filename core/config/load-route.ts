import { ConfigError } from "../errors.ts";
import type { ClusterChoice, WeightedCluster } from "../router/cluster-choice.ts";
import { DirectResponseAction } from "../router/direct-response-action.ts";
import { ForwardAction, type HostRewrite } from "../router/forward-action.ts";
import { type HeaderMutation, HeaderMutationChain } from "../router/header-mutation.ts";
import { RequestMirrorPolicy } from "../router/mirror-policy.ts";
import { RedirectAction } from "../router/redirect-action.ts";
import { Route } from "../router/route.ts";
import type { MirrorPolicy, RetryPolicy, RouteInfo } from "../router/types.ts";
import type { ConfigContext } from "./context.ts";
import { type Fields, readObject } from "./fields.ts";
import { describeValue } from "./keys.ts";
import { readHeaderMutation } from "./load-header-options.ts";
import { readRouteMatch, type RouteMatchSpec } from "./load-route-match.ts";
import { UINT32_MAX } from "./limits.ts";
import {
  CLUSTER_WEIGHT,
  DIRECT_RESPONSE,
  MIRROR_POLICY,
  REDIRECT,
  RETRY_POLICY,
  ROUTE,
  ROUTE_ACTION,
  ROUTE_MATCH,
  WEIGHTED_CLUSTER,
} from "./router-schemas.ts";

/** The header mutations of the levels around a route: its virtual host, then its router config. */
export interface EnclosingHeaders {
  readonly request: readonly HeaderMutation[];
  readonly response: readonly HeaderMutation[];
}

/** MOSN's retries when num_retries is 0 (pkg/proxy/retrystate.go). */
export const DEFAULT_NUM_RETRIES = 3;

/** Redirect statuses MOSN accepts (pkg/router/base_rule.go); 0 means 301. */
const REDIRECT_CODES = [301, 302, 303, 307, 308];

// RFC 3986 §3.1, as MOSN's schemeValidator.
const SCHEME = /^[a-z][a-z0-9.+-]*$/;
// What may stand in a location's host or path without breaking the header or the URL.
const URL_PART = /^[!#$%&-;=?-\[\]_a-z~]*$/i;

/**
 * Reads one entry of a virtual host's `routers` (MOSN v2 Router) into a Route. What it does is
 * `direct_response`, else `redirect`, else `route`, as MOSN's chooseHost tries them; the ones
 * it skips are ignored with a warning. Cluster names are recorded on the context for the loader
 * to check. Throws ConfigError.
 */
export function readRoute(
  raw: unknown,
  path: string,
  ctx: ConfigContext,
  info: RouteInfo,
  around: EnclosingHeaders,
): Route {
  const f = readObject(raw, path, ctx, ROUTE);
  const match = readRouteMatch(f.object("match", ROUTE_MATCH));
  const given = (key: string) => {
    const v = f.get(key);
    return v !== undefined && !(typeof v === "object" && v !== null && Object.keys(v).length === 0);
  };
  const kinds = ["direct_response", "redirect", "route"].filter((k) => f.has(k));
  if (kinds.length === 0) {
    f.fail(
      "route",
      "required field is missing: a route needs route (cluster_name, cluster_header or weighted_clusters), redirect or direct_response",
    );
  }
  const kind = kinds[0]!;
  for (const other of kinds.slice(1)) {
    if (given(other)) ctx.warn(f.pathOf(other), `ignored: ${kind} takes precedence (as in MOSN)`);
  }
  if (kind !== "route" && given("request_mirror_policies")) {
    ctx.warn(f.pathOf("request_mirror_policies"), `ignored: a ${kind} route sends nothing upstream`);
  }

  if (kind === "direct_response") {
    const d = f.object("direct_response", DIRECT_RESPONSE);
    if (!d.has("status")) d.fail("status", "required field is missing");
    const status = d.integer("status", 0, 100, 599);
    return new Route(
      info,
      match.path,
      match.headers,
      match.queryParameters,
      new DirectResponseAction(info, status, d.string("body", ""), responseChain(around, undefined)),
    );
  }
  if (kind === "redirect") {
    return new Route(info, match.path, match.headers, match.queryParameters, readRedirect(f, info, around));
  }
  return new Route(info, match.path, match.headers, match.queryParameters, readForward(f, match, info, around));
}

function responseChain(around: EnclosingHeaders, route: HeaderMutation | undefined): HeaderMutationChain {
  return new HeaderMutationChain(route === undefined ? around.response : [route, ...around.response]);
}

function readRedirect(f: Fields, info: RouteInfo, around: EnclosingHeaders): RedirectAction {
  const r = f.object("redirect", REDIRECT);
  const code = r.integer("response_code", 0, 0, 999);
  if (code !== 0 && !REDIRECT_CODES.includes(code)) {
    r.fail("response_code", `expected one of ${REDIRECT_CODES.join(", ")}, got ${code}`);
  }
  const scheme = r.string("scheme_redirect", "").toLowerCase();
  if (scheme !== "" && !SCHEME.test(scheme)) r.fail("scheme_redirect", `${JSON.stringify(scheme)} is not a URL scheme`);
  const host = r.string("host_redirect", "");
  if (!URL_PART.test(host) || /[/?#]/.test(host)) {
    r.fail("host_redirect", `expected a host (and port), got ${JSON.stringify(host)}`);
  }
  const path = r.string("path_redirect", "");
  if (path !== "" && (!path.startsWith("/") || !URL_PART.test(path) || /[?#]/.test(path))) {
    r.fail("path_redirect", `expected a path starting with / (without query or spaces), got ${JSON.stringify(path)}`);
  }
  return new RedirectAction({
    info,
    status: code === 0 ? 301 : code,
    scheme: scheme || undefined,
    host: host || undefined,
    path: path || undefined,
    responseHeaders: responseChain(around, undefined),
  });
}

function readForward(f: Fields, match: RouteMatchSpec, info: RouteInfo, around: EnclosingHeaders): ForwardAction {
  const a = f.object("route", ROUTE_ACTION);
  const ctx = f.ctx;
  return new ForwardAction({
    info,
    clusters: readClusterChoice(a),
    prefixRewrite: readPrefixRewrite(a, match),
    hostRewrite: readHostRewrite(a),
    requestHeaders: new HeaderMutationChain([readHeaderMutation(a, "request"), ...around.request]),
    responseHeaders: responseChain(around, readHeaderMutation(a, "response")),
    timeoutMs: a.duration("timeout", 0) || undefined,
    retryPolicy: a.has("retry_policy") ? readRetryPolicy(a.object("retry_policy", RETRY_POLICY)) : undefined,
    mirrorPolicies: Object.freeze(readMirrorPolicies(f, ctx)),
    upstreamProtocol: a.string("upstream_protocol", "") || undefined,
  });
}

/**
 * MOSN's ClusterName: weighted clusters, else cluster_name, else cluster_variable.
 * cluster_header is in MOSN's config but never read there; here it comes after cluster_name.
 */
function readClusterChoice(a: Fields): ClusterChoice {
  const weighted = a.list("weighted_clusters");
  const name = a.string("cluster_name", "");
  const header = a.string("cluster_header", "");
  const variable = a.string("cluster_variable", "");
  const ignore = (key: string, by: string) => a.ctx.warn(a.pathOf(key), `ignored: ${by} takes precedence (as in MOSN)`);
  if (weighted.length > 0) {
    for (
      const [key, v] of [["cluster_name", name], ["cluster_header", header], ["cluster_variable", variable]] as const
    ) if (v !== "") ignore(key, "weighted_clusters");
    return readWeightedClusters(a, weighted);
  }
  if (name !== "") {
    if (header !== "") ignore("cluster_header", "cluster_name");
    if (variable !== "") ignore("cluster_variable", "cluster_name");
    a.ctx.referenceCluster(a.pathOf("cluster_name"), name);
    return { kind: "name", name };
  }
  if (variable !== "") {
    a.fail(
      "cluster_variable",
      "picking the cluster from a MOSN variable is not supported yet; use cluster_header or cluster_name",
    );
  }
  if (header !== "") {
    const lower = header.toLowerCase();
    return { kind: "header", header: lower === "host" ? ":authority" : lower };
  }
  return a.fail(
    "cluster_name",
    "required field is missing: a route needs cluster_name, cluster_header or weighted_clusters",
  );
}

function readWeightedClusters(a: Fields, items: ReturnType<Fields["list"]>): ClusterChoice {
  const clusters: WeightedCluster[] = [];
  let totalWeight = 0;
  for (const item of items) {
    const entry = readObject(item.value, item.path, a.ctx, WEIGHTED_CLUSTER);
    if (!entry.has("cluster")) entry.fail("cluster", "required field is missing");
    const c = entry.object("cluster", CLUSTER_WEIGHT);
    const name = c.requiredString("name");
    if (clusters.some((w) => w.name === name)) {
      c.fail("name", `${JSON.stringify(name)} is listed twice in weighted_clusters`);
    }
    a.ctx.referenceCluster(c.pathOf("name"), name);
    const weight = c.integer("weight", 0, 0, UINT32_MAX);
    clusters.push(Object.freeze({ name, weight }));
    totalWeight += weight;
  }
  if (totalWeight === 0) a.fail("weighted_clusters", "the weights add up to 0: no cluster could be picked");
  return { kind: "weighted", clusters: Object.freeze(clusters), totalWeight };
}

/**
 * `prefix_rewrite` replaces what a prefix or path match matched. MOSN also runs it after a
 * regex match, comparing the pattern's text as a prefix, and skips it after a header-only
 * match; both are refused here rather than silently doing nothing. `regex_rewrite` is not
 * supported: refused where MOSN would apply it (without prefix_rewrite).
 */
function readPrefixRewrite(
  a: Fields,
  match: RouteMatchSpec,
): { matcher: NonNullable<RouteMatchSpec["path"]>; replacement: string } | undefined {
  const replacement = a.string("prefix_rewrite", "");
  const regexRewrite = a.get("regex_rewrite");
  if (typeof regexRewrite === "object" && regexRewrite !== null && Object.keys(regexRewrite).length > 0) {
    if (replacement !== "") {
      a.ctx.warn(a.pathOf("regex_rewrite"), "ignored: prefix_rewrite takes precedence (as in MOSN)");
    } else a.fail("regex_rewrite", "not supported yet; use prefix_rewrite");
  }
  if (replacement === "") return undefined;
  const matcher = match.path;
  if (matcher === undefined || matcher.kind === "regex") {
    a.fail(
      "prefix_rewrite",
      `needs a prefix or path match to replace${
        matcher === undefined ? ", and the route has neither" : ", not a regex"
      }`,
    );
  }
  return Object.freeze({ matcher, replacement });
}

function readHostRewrite(a: Fields): HostRewrite {
  const host = a.string("host_rewrite", "");
  const header = a.string("auto_host_rewrite_header", "").toLowerCase();
  const auto = a.boolean("auto_host_rewrite", false);
  const ignore = (key: string, by: string) => a.ctx.warn(a.pathOf(key), `ignored: ${by} takes precedence (as in MOSN)`);
  if (host !== "") {
    if (!URL_PART.test(host) || /[/?#]/.test(host)) {
      a.fail("host_rewrite", `expected a host (and port), got ${JSON.stringify(host)}`);
    }
    if (header !== "") ignore("auto_host_rewrite_header", "host_rewrite");
    if (auto) ignore("auto_host_rewrite", "host_rewrite");
    return { kind: "fixed", host };
  }
  if (header !== "") {
    if (auto) ignore("auto_host_rewrite", "auto_host_rewrite_header");
    return { kind: "from_header", header: header === "host" ? ":authority" : header };
  }
  return auto ? { kind: "upstream_hostname" } : { kind: "none" };
}

function readRetryPolicy(r: Fields): RetryPolicy {
  const numRetries = r.integer("num_retries", 0, 0, UINT32_MAX);
  const statusCodes = r.list("status_codes").map((item) => {
    const v = item.value;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 100 || v > 599) {
      throw new ConfigError(item.path, `expected an HTTP status 100-599, got ${describeValue(v)}`);
    }
    return v;
  });
  return Object.freeze({
    retryOn: r.boolean("retry_on", false),
    perTryTimeoutMs: r.duration("retry_timeout", 0),
    numRetries: numRetries === 0 ? DEFAULT_NUM_RETRIES : numRetries,
    statusCodes: Object.freeze(statusCodes),
  });
}

/**
 * MOSN takes one `request_mirror_policies` object; Envoy's field of that name is a list, which
 * is accepted too. A policy without a cluster is MOSN's zero value and mirrors nothing.
 */
function readMirrorPolicies(f: Fields, ctx: ConfigContext): MirrorPolicy[] {
  const raw = f.get("request_mirror_policies");
  if (raw === undefined) return [];
  const items = Array.isArray(raw)
    ? f.list("request_mirror_policies")
    : [{ value: raw, path: f.pathOf("request_mirror_policies") }];
  const out: MirrorPolicy[] = [];
  for (const item of items) {
    const m = readObject(item.value, item.path, ctx, MIRROR_POLICY);
    const percent = m.integer("percent", 0, 0, 100);
    const cluster = m.string("cluster", "");
    if (cluster === "") {
      if (percent !== 0) m.fail("cluster", "required field is missing");
      continue;
    }
    ctx.referenceCluster(m.pathOf("cluster"), cluster);
    if (percent === 0) ctx.warn(m.pathOf("percent"), "0: nothing is mirrored (as in MOSN; 100 mirrors every request)");
    out.push(new RequestMirrorPolicy(cluster, percent));
  }
  return out;
}
