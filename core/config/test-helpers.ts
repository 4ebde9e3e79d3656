// Shared by this folder's tests: a registry with the built-in filter parsers plus a stand-in for
// the L7 `proxy` filter's, which records the router its config names as the real one will.
import { connectionManagerConfigParser } from "../network-filters/connection-manager/config.ts";
import { echoConfigParser } from "../network-filters/echo/config.ts";
import { tcpProxyConfigParser } from "../network-filters/tcp-proxy/config.ts";
import { readObject } from "./fields.ts";
import type { ConfigRegistry, NetworkFilterConfigParser } from "./registry-types.ts";

/** The `proxy` stand-in's config: the keys MOSN's v2 Proxy has (pkg/config/v2/proxy.go). */
export interface StubProxyConfig {
  readonly downstreamProtocol: string;
  readonly upstreamProtocol: string;
  readonly routerConfigName: string;
  readonly extendConfig: unknown;
}

const stubProxyParser: NetworkFilterConfigParser<StubProxyConfig> = {
  parseConfig(raw, path, ctx) {
    const f = readObject(raw ?? {}, path, ctx, {
      fields: ["downstream_protocol", "upstream_protocol", "router_config_name", "extend_config"],
      mosnOnly: ["name", "fallback_for_unknown_protocol", "router_handler_name", "validate_clusters", "concurrency_num"],
    });
    const routerConfigName = f.requiredString("router_config_name");
    ctx.referenceRouter(f.pathOf("router_config_name"), routerConfigName);
    return Object.freeze({
      downstreamProtocol: f.string("downstream_protocol", ""),
      upstreamProtocol: f.string("upstream_protocol", ""),
      routerConfigName,
      extendConfig: f.get("extend_config"),
    });
  },
};

/** tcp_proxy, echo, connection_manager and the `proxy` stand-in. */
export function testRegistry(): ConfigRegistry {
  const parsers = new Map<string, NetworkFilterConfigParser>([
    ["tcp_proxy", tcpProxyConfigParser],
    ["echo", echoConfigParser],
    ["connection_manager", connectionManagerConfigParser],
    ["proxy", stubProxyParser],
  ]);
  return { networkFilter: (type) => parsers.get(type), networkFilterTypes: () => [...parsers.keys()] };
}
