import type { ConfigContext } from "../../config/context.ts";
import { readRouterConfiguration } from "../../config/load-routers.ts";
import type { NetworkFilterConfigParser } from "../../config/registry-types.ts";
import type { ConnectionManagerConfig } from "../../config/types.ts";

/**
 * Validates a `connection_manager` filter's config, an inline router config
 * (`router_config_name`, `virtual_hosts` and the router-level header options, as in
 * `servers[].routers[]`), and defines the router on `ctx` under its name for `proxy` filters
 * to refer to. MOSN before v0.20 read routes only from here (configmanager
 * ParseRouterConfiguration). Throws ConfigError.
 */
export function parseConnectionManagerConfig(raw: unknown, path: string, ctx: ConfigContext): ConnectionManagerConfig {
  const router = readRouterConfiguration(raw ?? {}, path, ctx);
  ctx.defineRouter(`${path}.router_config_name`, router);
  return Object.freeze({ router });
}

/** The `connection_manager` entry for a ConfigRegistry. */
export const connectionManagerConfigParser: NetworkFilterConfigParser<ConnectionManagerConfig> = {
  parseConfig: parseConnectionManagerConfig,
};
