import { ConfigError } from "../errors.ts";
import { parseDomain } from "../router/domain.ts";
import { RouteTable, type VirtualHostRoutes } from "../router/route-table.ts";
import { VirtualHostIndex } from "../router/virtual-host-index.ts";
import type { ConfigContext } from "./context.ts";
import { type Fields, readObject } from "./fields.ts";
import { describeValue } from "./keys.ts";
import { readHeaderMutation } from "./load-header-options.ts";
import { readRoute } from "./load-route.ts";
import { ROUTER_CONFIGURATION, VIRTUAL_HOST } from "./router-schemas.ts";

/**
 * Reads a server's `routers[]` and defines each on the context by its `router_config_name`,
 * where `proxy` filters find them. Throws ConfigError.
 */
export function readServerRouters(server: Fields): void {
  for (const item of server.list("routers")) {
    server.ctx.defineRouter(
      `${item.path}.router_config_name`,
      readRouterConfiguration(item.value, item.path, server.ctx),
    );
  }
}

/**
 * Reads one MOSN router configuration (RouterConfigurationConfig: a `servers[].routers[]`
 * entry, or a `connection_manager` filter's config) into a RouteTable. It needs a name and at
 * least one virtual host; two virtual hosts may not claim the same domain, nor two the default
 * (MOSN refuses both too). Throws ConfigError; warnings and cluster references go to `ctx`.
 */
export function readRouterConfiguration(raw: unknown, path: string, ctx: ConfigContext): RouteTable {
  const f = readObject(raw, path, ctx, ROUTER_CONFIGURATION);
  const name = f.requiredString("router_config_name");
  const around = { request: [readHeaderMutation(f, "request")], response: [readHeaderMutation(f, "response")] };
  const hosts = f.list("virtual_hosts");
  if (hosts.length === 0) f.fail("virtual_hosts", "a router config needs at least one virtual host");
  const index = new VirtualHostIndex<VirtualHostRoutes>();
  const pathOf = new Map<VirtualHostRoutes, string>();
  hosts.forEach((item, i) => {
    const v = readObject(item.value, item.path, ctx, VIRTUAL_HOST);
    const vhName = v.string("name", "");
    const label = vhName || `virtual_hosts[${i}]`;
    const vhAround = {
      request: [readHeaderMutation(v, "request"), ...around.request],
      response: [readHeaderMutation(v, "response"), ...around.response],
    };
    const routes = v.list("routers").map((r, routeIndex) => {
      const info = Object.freeze({
        routerConfigName: name,
        virtualHost: label,
        routeIndex,
        name: `${name}/${label}/${routeIndex}`,
      });
      return readRoute(r.value, r.path, ctx, info, vhAround);
    });
    const host: VirtualHostRoutes = Object.freeze({ name: label, routes: Object.freeze(routes) });
    pathOf.set(host, item.path);
    const domains = v.list("domains");
    if (domains.length === 0) v.fail("domains", "a virtual host needs at least one domain (* for any)");
    for (const d of domains) {
      if (typeof d.value !== "string") {
        throw new ConfigError(d.path, `expected a domain, got ${describeValue(d.value)}`);
      }
      const domain = parseDomain(d.value);
      if (typeof domain === "string") throw new ConfigError(d.path, domain);
      const holder = index.add(domain, host);
      if (holder === host) throw new ConfigError(d.path, `${JSON.stringify(d.value)} is listed twice`);
      if (holder !== undefined) {
        const what = domain.kind === "default" ? "the default domain *" : JSON.stringify(d.value);
        throw new ConfigError(d.path, `${what} is already claimed by ${pathOf.get(holder)}`);
      }
    }
  });
  return new RouteTable(name, index);
}
