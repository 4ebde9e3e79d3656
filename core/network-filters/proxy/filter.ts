import { ConfigError } from "../../errors.ts";
import { TimerLists } from "../../net/timer-lists.ts";
import { DEFAULT_PROXY_SETTINGS, type ProxyContext } from "../../proxy/context.ts";
import { createProxyStats } from "../../proxy/proxy-stats.ts";
import type { Protocol } from "../../stream/protocol.ts";
import type { FilterFactoryContext, FilterInstaller, NetworkFilterFactory } from "../types.ts";
import { proxyConfigParser, type ProxyFilterConfig } from "./config.ts";
import { type ProxyProtocols, ProxySession } from "./session.ts";

/** HTTP versions carry each other's requests; an RPC request goes out only in its own protocol. */
function canForward(from: Protocol, to: Protocol): boolean {
  return from === to || (from.forwardedHeaders && to.forwardedHeaders);
}

function protocol(ctx: FilterFactoryContext, name: string): Protocol {
  const p = ctx.protocols.get(name.toLowerCase());
  if (!p) throw new ConfigError("", `protocol ${name} is not registered`);
  return p;
}

/**
 * The L7 `proxy` network filter (MOSN's proxy): decodes each connection with its protocol's
 * server codec and proxies every request through the router, the cluster's balancer and the
 * pools. Counters go under `http.<listener>.`.
 */
export const proxyFilterFactory: NetworkFilterFactory<ProxyFilterConfig> = {
  type: "proxy",
  configParser: proxyConfigParser,
  create(config: ProxyFilterConfig, fctx: FilterFactoryContext): FilterInstaller {
    const router = fctx.routers.get(config.routerConfigName);
    if (!router) throw new ConfigError("", `no router config named ${config.routerConfigName}`);
    const ctx: ProxyContext = {
      runtime: fctx.runtime,
      timers: new TimerLists(fctx.runtime),
      clusterManager: fctx.clusterManager,
      connectionFactory: fctx.connectionFactory,
      pools: fctx.pools,
      router,
      protocols: fctx.protocols,
      logger: fctx.logger,
      stats: createProxyStats(fctx.stats, fctx.listenerName),
      codecEnv: { runtime: fctx.runtime, stats: fctx.stats, logger: fctx.logger },
      random: fctx.random,
      settings: {
        ...DEFAULT_PROXY_SETTINGS,
        appendForwardedFor: config.appendForwardedFor,
        maxRequestBodyBytes: config.maxRequestBodyBytes,
        normalizePath: config.normalizePath,
      },
      streamFilters: fctx.streamFilters,
      name: `proxy ${fctx.listenerName}`,
    };
    const upstream = config.upstreamProtocol === undefined ? undefined : protocol(fctx, config.upstreamProtocol);
    let downstream = config.downstreamProtocols === "Auto"
      ? [...new Set(fctx.protocols.values())].filter((p) => upstream === undefined || canForward(p, upstream))
      : config.downstreamProtocols.map((name) => protocol(fctx, name));
    if (upstream !== undefined) {
      const bad = downstream.find((p) => !canForward(p, upstream));
      if (bad) throw new ConfigError("", `a ${bad.name} request cannot be forwarded as ${upstream.name}`);
    }
    downstream = [...new Set(downstream)];
    const protocols: ProxyProtocols = { downstream, upstream, detectTimeoutMs: config.detectTimeoutMs };
    return (conn) => conn.addReadFilter(new ProxySession(ctx, conn, protocols));
  },
};
