import type { HeaderMap } from "../stream/header-map.ts";
import type { Route } from "./route.ts";
import type { RandomSource, RouteMatch, RouterConfig } from "./types.ts";
import type { VirtualHostIndex } from "./virtual-host-index.ts";

/** A virtual host's routes, in the order they are tried. */
export interface VirtualHostRoutes {
  readonly name: string;
  readonly routes: readonly Route[];
}

/**
 * One router config: virtual hosts by domain, then the first route of the virtual host that
 * matches (MOSN's routersImpl.MatchRoute and VirtualHostImpl.GetRouteFromEntries).
 */
export class RouteTable implements RouterConfig {
  constructor(
    readonly name: string,
    private readonly hosts: VirtualHostIndex<VirtualHostRoutes>,
  ) {
    Object.freeze(this);
  }

  route(headers: HeaderMap, random: RandomSource = Math.random): RouteMatch | undefined {
    const host = this.hosts.find(headers.get(":authority"));
    if (host === undefined) return undefined;
    const path = headers.get(":path");
    let pathEnd = -1;
    if (path !== undefined) {
      const q = path.indexOf("?");
      pathEnd = q < 0 ? path.length : q;
    }
    // Indexed: for-of over a frozen array allocates an iterator in V8.
    const routes = host.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (route.matches(headers, path, pathEnd)) return route.result(headers, path, pathEnd, random);
    }
    return undefined;
  }
}
