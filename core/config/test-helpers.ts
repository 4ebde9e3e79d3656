// Shared by this folder's tests: a registry with the built-in filter parsers, without building
// the filters themselves.
import { connectionManagerConfigParser } from "../network-filters/connection-manager/config.ts";
import { echoConfigParser } from "../network-filters/echo/config.ts";
import { tcpProxyConfigParser } from "../network-filters/tcp-proxy/config.ts";
import { proxyConfigParser } from "../network-filters/proxy/config.ts";
import type { ConfigRegistry, NetworkFilterConfigParser } from "./registry-types.ts";
import { directResponseConfigParser } from "../stream-filters/direct-response/config.ts";
import { faultConfigParser } from "../stream-filters/fault/config.ts";
import { headerMutationConfigParser } from "../stream-filters/header-mutation/config.ts";
import { localRateLimitConfigParser } from "../stream-filters/local-rate-limit/config.ts";
import { mirrorConfigParser } from "../stream-filters/mirror/config.ts";
import { healthCheckConfigParser } from "../stream-filters/healthcheck/config.ts";

/** tcp_proxy, echo, connection_manager and proxy; the built-in stream filters. */
export function testRegistry(): ConfigRegistry {
  const streamParsers = new Map<string, NetworkFilterConfigParser>([
    ["fault", faultConfigParser],
    ["header_mutation", headerMutationConfigParser],
    ["direct_response", directResponseConfigParser],
    ["local_rate_limit", localRateLimitConfigParser],
    ["mirror", mirrorConfigParser],
    ["healthcheck", healthCheckConfigParser],
  ]);
  const parsers = new Map<string, NetworkFilterConfigParser>([
    ["tcp_proxy", tcpProxyConfigParser],
    ["echo", echoConfigParser],
    ["connection_manager", connectionManagerConfigParser],
    ["proxy", proxyConfigParser],
  ]);
  return {
    networkFilter: (type) => parsers.get(type),
    networkFilterTypes: () => [...parsers.keys()],
    streamFilter: (type) => streamParsers.get(type),
    streamFilterTypes: () => [...streamParsers.keys()],
  };
}
