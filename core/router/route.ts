import type { HeaderMap } from "../stream/header-map.ts";
import { DirectResponseAction } from "./direct-response-action.ts";
import { ForwardAction } from "./forward-action.ts";
import type { HeaderMatcher } from "./header-matcher.ts";
import type { PathMatcher } from "./path-matcher.ts";
import type { QueryParameterMatcher } from "./query-matcher.ts";
import type { RedirectAction } from "./redirect-action.ts";
import type { RandomSource, RouteInfo, RouteMatch } from "./types.ts";

export type RouteAction = ForwardAction | RedirectAction | DirectResponseAction;

/**
 * One entry of a virtual host's `routers`: what it matches and what it does. A route without a
 * path matcher matches any path, and requests without one (RPC), as MOSN's header-only rule.
 */
export class Route {
  constructor(
    readonly info: RouteInfo,
    readonly path: PathMatcher | undefined,
    readonly headers: readonly HeaderMatcher[],
    readonly queryParameters: readonly QueryParameterMatcher[],
    readonly action: RouteAction,
  ) {
    Object.freeze(headers);
    Object.freeze(queryParameters);
    Object.freeze(this);
  }

  /** `path` is the whole `:path` (undefined without one); its query starts at `pathEnd`. */
  matches(headers: HeaderMap, path: string | undefined, pathEnd: number): boolean {
    if (this.path !== undefined && (path === undefined || !this.path.matches(path, pathEnd))) return false;
    // Indexed loops: for-of over a frozen array allocates an iterator in V8 (per request, here).
    const hs = this.headers;
    for (let i = 0; i < hs.length; i++) if (!hs[i]!.matches(headers, path, pathEnd)) return false;
    const qs = this.queryParameters;
    for (let i = 0; i < qs.length; i++) if (!qs[i]!.matches(path, pathEnd)) return false;
    return true;
  }

  result(headers: HeaderMap, path: string | undefined, pathEnd: number, random: RandomSource): RouteMatch {
    const action = this.action;
    if (action instanceof DirectResponseAction) return action;
    if (action instanceof ForwardAction) return action.select(headers, random);
    return action.result(headers, path, pathEnd);
  }
}
