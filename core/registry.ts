import type { ConfigRegistry, NetworkFilterConfigParser } from "./config/registry-types.ts";
import type { LbType } from "./config/types.ts";
import { connectionManagerFilterFactory } from "./network-filters/connection-manager/filter.ts";
import { echoFilterFactory } from "./network-filters/echo/filter.ts";
import { proxyFilterFactory } from "./network-filters/proxy/filter.ts";
import { tcpProxyFilterFactory } from "./network-filters/tcp-proxy/filter.ts";
import type { NetworkFilterFactory } from "./network-filters/types.ts";
import { http1Protocol } from "./stream/http1/protocol.ts";
import { xprotocol } from "./stream/xprotocol/protocol.ts";
import { boltCodec, boltV2Codec } from "./protocol/bolt/index.ts";
import { dubboCodec } from "./protocol/dubbo/index.ts";
import type { Protocol } from "./stream/protocol.ts";
import type { StreamFilterFactory } from "./stream-filters/types.ts";
import { directResponseFilterFactory } from "./stream-filters/direct-response/filter.ts";
import { faultFilterFactory } from "./stream-filters/fault/filter.ts";
import { headerMutationFilterFactory } from "./stream-filters/header-mutation/filter.ts";
import { localRateLimitFilterFactory } from "./stream-filters/local-rate-limit/filter.ts";
import { mirrorFilterFactory } from "./stream-filters/mirror/filter.ts";
import { healthCheckFilterFactory } from "./stream-filters/healthcheck/filter.ts";
import { defaultLoadBalancers } from "./upstream/lb/default-load-balancers.ts";
import type { LbFactory } from "./upstream/types.ts";

/**
 * Every pluggable piece the server can build from config. Nothing registers itself at import
 * time: a server gets a Registry, and tests build their own.
 */
export class Registry implements ConfigRegistry {
  readonly networkFilters = new Map<string, NetworkFilterFactory>();
  readonly loadBalancers: Map<LbType, LbFactory>;
  /** L7 protocols by lower-case name ("http1"); `Auto` listeners detect among them in order. */
  readonly protocols = new Map<string, Protocol>();
  readonly streamFilters = new Map<string, StreamFilterFactory>();

  constructor(loadBalancers: Map<LbType, LbFactory> = new Map()) {
    this.loadBalancers = loadBalancers;
  }

  addNetworkFilter<C>(factory: NetworkFilterFactory<C>): this {
    this.networkFilters.set(factory.type, factory as NetworkFilterFactory);
    return this;
  }

  addStreamFilter<C>(factory: StreamFilterFactory<C>): this {
    this.streamFilters.set(factory.type, factory as StreamFilterFactory);
    return this;
  }

  streamFilter(type: string): NetworkFilterConfigParser | undefined {
    return this.streamFilters.get(type)?.configParser;
  }

  streamFilterTypes(): string[] {
    return [...this.streamFilters.keys()];
  }

  addProtocol(protocol: Protocol): this {
    this.protocols.set(protocol.name.toLowerCase(), protocol);
    return this;
  }

  networkFilter(type: string): NetworkFilterConfigParser | undefined {
    return this.networkFilters.get(type)?.configParser;
  }

  networkFilterTypes(): string[] {
    return [...this.networkFilters.keys()];
  }
}

/** The registry `isthmus start` uses: every built-in filter, balancer and protocol. */
export function createDefaultRegistry(): Registry {
  return new Registry(defaultLoadBalancers())
    .addNetworkFilter(tcpProxyFilterFactory)
    .addNetworkFilter(echoFilterFactory)
    .addNetworkFilter(connectionManagerFilterFactory)
    .addNetworkFilter(proxyFilterFactory)
    .addStreamFilter(faultFilterFactory)
    .addStreamFilter(headerMutationFilterFactory)
    .addStreamFilter(directResponseFilterFactory)
    .addStreamFilter(localRateLimitFilterFactory)
    .addStreamFilter(mirrorFilterFactory)
    .addStreamFilter(healthCheckFilterFactory)
    .addProtocol(http1Protocol())
    .addProtocol(xprotocol(boltCodec))
    .addProtocol(xprotocol(boltV2Codec))
    .addProtocol(xprotocol(dubboCodec));
}
