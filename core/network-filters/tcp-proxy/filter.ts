import type { TcpProxyConfig } from "../../config/types.ts";
import type { FilterFactoryContext, FilterInstaller, NetworkFilterFactory } from "../types.ts";
import { tcpProxyConfigParser } from "./config.ts";
import { TcpProxySession } from "./session.ts";
import { createTcpProxyStats } from "./stats.ts";

/** The L4 `tcp_proxy` network filter: each connection is piped to a host of a cluster. */
export const tcpProxyFilterFactory: NetworkFilterFactory<TcpProxyConfig> = {
  type: "tcp_proxy",
  configParser: tcpProxyConfigParser,
  create(config: TcpProxyConfig, ctx: FilterFactoryContext): FilterInstaller {
    const stats = createTcpProxyStats(ctx.stats, config.statPrefix || ctx.listenerName);
    const shared = { config, ctx, stats };
    return (conn) => conn.addReadFilter(new TcpProxySession(shared, conn));
  },
};
