import { ConfigError } from "../errors.ts";
import { compileGoRegexp } from "../router/go-regexp.ts";
import { HeaderMatcher } from "../router/header-matcher.ts";
import { ExactPathMatcher, type PathMatcher, PrefixMatcher, RegexPathMatcher } from "../router/path-matcher.ts";
import { QueryParameterMatcher } from "../router/query-matcher.ts";
import { ValueMatcher } from "../router/value-matcher.ts";
import type { Fields } from "./fields.ts";
import { readObject } from "./fields.ts";
import { KEY_VALUE_MATCHER } from "./router-schemas.ts";

/** A route's `match`, validated and compiled. */
export interface RouteMatchSpec {
  readonly path: PathMatcher | undefined;
  readonly headers: HeaderMatcher[];
  readonly queryParameters: QueryParameterMatcher[];
}

/**
 * Header names that stand for something our codecs carry as a pseudo-key: Host (the HTTP/1
 * codec moves it to `:authority`) and MOSN's request variables (pkg/types/variable.go), which
 * MOSN configs name in matchers.
 */
const HEADER_ALIASES: ReadonlyMap<string, string> = new Map([
  ["host", ":authority"],
  ["x-mosn-host", ":authority"],
  ["x-mosn-method", ":method"],
  ["x-mosn-rpc-service", ":service"],
  ["x-mosn-rpc-method", ":rpc-method"],
]);

/** MOSN's path variable: the path without its query string. */
const PATH_VARIABLE = "x-mosn-path";

/**
 * Reads a route's `match` (MOSN RouterMatch plus Envoy's `query_parameters`). One of `prefix`,
 * `path`, `regex` is used, in that order, as MOSN's NewRouteBase picks; the others are ignored
 * with a warning. Without any of them the route matches every path (and requests without one:
 * MOSN's RPC rule). `variables` and `dsl_expressions` are refused where MOSN would use them:
 * ignoring them would let the route take requests it should not.
 */
export function readRouteMatch(m: Fields): RouteMatchSpec {
  const path = readPathMatcher(m);
  for (const key of ["variables", "dsl_expressions"]) {
    if (m.list(key).length === 0) continue;
    if (path !== undefined) m.ctx.warn(m.pathOf(key), `ignored: ${path.kind} takes precedence (as in MOSN)`);
    else {m.fail(
        key,
        `matching on MOSN ${
          key === "variables" ? "variables" : "DSL expressions"
        } is not supported yet; match on prefix, path, regex or headers`,
      );}
  }
  const headerItems = m.list("headers");
  const headers = headerItems.map((item) => {
    const h = readObject(item.value, item.path, m.ctx, KEY_VALUE_MATCHER);
    let name = h.requiredString("name").toLowerCase();
    // MOSN's HTTP rule reads "method" from its method variable (pkg/router/configutility.go).
    if (name === "method" && path !== undefined) name = ":method";
    // MOSN's RPC rule takes a lone `service` header with the value ".*" as "any service"
    // (rpc_rule.go fastmatch), whether or not regex is set.
    const anyService = path === undefined && headerItems.length === 1 && name === "service" &&
      h.string("value", "") === ".*";
    const value = anyService ? ValueMatcher.regex(/[\s\S]/) : readValueMatcher(h, false);
    if (name === PATH_VARIABLE) return new HeaderMatcher(name, value, "path");
    return new HeaderMatcher(HEADER_ALIASES.get(name) ?? name, value);
  });
  const queryParameters = m.list("query_parameters").map((item) => {
    const q = readObject(item.value, item.path, m.ctx, KEY_VALUE_MATCHER);
    return new QueryParameterMatcher(q.requiredString("name"), readValueMatcher(q, true));
  });
  return { path, headers, queryParameters };
}

function readPathMatcher(m: Fields): PathMatcher | undefined {
  let chosen: PathMatcher | undefined;
  for (const key of ["prefix", "path", "regex"] as const) {
    const text = m.string(key, "");
    if (text === "") continue;
    if (chosen !== undefined) {
      m.ctx.warn(m.pathOf(key), `ignored: ${chosen.kind} takes precedence (as in MOSN)`);
      continue;
    }
    if (key === "prefix") chosen = new PrefixMatcher(text);
    else if (key === "path") chosen = new ExactPathMatcher(text);
    else chosen = new RegexPathMatcher(text, compile(text, m.pathOf(key)));
  }
  return chosen;
}

/**
 * A list of `{name, value, regex}` header matchers outside a route (a stream filter's `headers`):
 * each must match the request's first value of the header (pseudo-keys included).
 */
export function readHeaderMatchers(f: Fields, key: string): HeaderMatcher[] {
  return f.list(key).map((item) => {
    const h = readObject(item.value, item.path, f.ctx, KEY_VALUE_MATCHER);
    const name = h.requiredString("name").toLowerCase();
    return new HeaderMatcher(HEADER_ALIASES.get(name) ?? name, readValueMatcher(h, false));
  });
}

/**
 * `value` compared exactly, or as a pattern with `regex: true`. Without a value a header
 * matches only an empty one (MOSN compares "" exactly), while a query parameter matches by
 * presence (Envoy's meaning, MOSN having no query matchers).
 */
function readValueMatcher(f: Fields, presenceWhenEmpty: boolean): ValueMatcher {
  const value = f.string("value", "");
  if (f.boolean("regex", false)) return ValueMatcher.regex(compile(value, f.pathOf("value")));
  if (value === "" && presenceWhenEmpty) return ValueMatcher.present();
  return ValueMatcher.exact(value);
}

function compile(source: string, path: string): RegExp {
  const re = compileGoRegexp(source);
  if (typeof re === "string") throw new ConfigError(path, re);
  return re;
}
