// Shared by this folder's tests: a registry with the built-in filter parsers, without building
// the filters themselves.
import { connectionManagerConfigParser } from "../network-filters/connection-manager/config.ts";
import { echoConfigParser } from "../network-filters/echo/config.ts";
import { tcpProxyConfigParser } from "../network-filters/tcp-proxy/config.ts";
import { proxyConfigParser } from "../network-filters/proxy/config.ts";
import type { ConfigRegistry, NetworkFilterConfigParser } from "./registry-types.ts";

/** tcp_proxy, echo, connection_manager and proxy. */
export function testRegistry(): ConfigRegistry {
  const parsers = new Map<string, NetworkFilterConfigParser>([
    ["tcp_proxy", tcpProxyConfigParser],
    ["echo", echoConfigParser],
    ["connection_manager", connectionManagerConfigParser],
    ["proxy", proxyConfigParser],
  ]);
  return { networkFilter: (type) => parsers.get(type), networkFilterTypes: () => [...parsers.keys()] };
}
