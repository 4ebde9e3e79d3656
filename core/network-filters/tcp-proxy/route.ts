import type { TcpProxyConfig, TcpRouteConfig } from "../../config/types.ts";
import type { Address } from "../../net/address.ts";
import { cidrContains } from "../../net/cidr.ts";
import { portInRanges } from "../../net/port-spec.ts";

function matches(route: TcpRouteConfig, source: Address, destination: Address): boolean {
  if (route.sourceAddrs.length > 0 && !route.sourceAddrs.some((r) => cidrContains(r, source.host))) return false;
  if (route.destinationAddrs.length > 0 && !route.destinationAddrs.some((r) => cidrContains(r, destination.host))) {
    return false;
  }
  if (route.sourcePorts.length > 0 && !portInRanges(route.sourcePorts, source.port)) return false;
  if (route.destinationPorts.length > 0 && !portInRanges(route.destinationPorts, destination.port)) return false;
  return true;
}

/**
 * The cluster for a downstream connection: the first route whose every given criterion matches
 * (an empty criterion matches anything, as in Envoy), else `cluster`, else none.
 */
export function selectTcpCluster(config: TcpProxyConfig, source: Address, destination: Address): string | undefined {
  for (const route of config.routes) {
    if (matches(route, source, destination)) return route.cluster;
  }
  return config.cluster;
}
