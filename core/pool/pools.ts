import type { CodecEnv, Protocol } from "../stream/protocol.ts";
import type { Cluster } from "../upstream/cluster.ts";
import type { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import type { Host } from "../upstream/types.ts";
import { ConnPool, DEFAULT_POOL_LIMITS } from "./conn-pool.ts";

/**
 * Every connection pool of the process, one per (host, protocol), made on first use (MOSN's
 * cluster manager ConnPoolForCluster). The cluster's `max_request_per_conn` caps requests per
 * connection.
 */
export class Pools {
  private readonly byHost = new Map<Host, Map<string, ConnPool>>();

  constructor(private readonly factory: UpstreamConnectionFactory, private readonly env: CodecEnv) {}

  get(cluster: Cluster, host: Host, protocol: Protocol): ConnPool {
    let byProtocol = this.byHost.get(host);
    if (!byProtocol) {
      byProtocol = new Map();
      this.byHost.set(host, byProtocol);
    }
    let pool = byProtocol.get(protocol.name);
    if (!pool) {
      pool = new ConnPool(cluster, host, this.factory, (c) => protocol.createClientCodec(c, this.env), {
        ...DEFAULT_POOL_LIMITS,
        maxRequestsPerConnection: cluster.config.maxRequestPerConn,
      });
      byProtocol.set(protocol.name, pool);
    }
    return pool;
  }

  /**
   * Closes every pool's idle connections, the pools staying open: when a drain starts, a kept-alive
   * upstream connection must not hold a listener of this process (or the upstream) open for the
   * whole drain period.
   */
  closeIdle(): void {
    for (const byProtocol of this.byHost.values()) for (const pool of byProtocol.values()) pool.closeIdle();
  }

  /** Drains every pool: idle connections close now, busy ones after their last stream. */
  drain(): void {
    for (const byProtocol of this.byHost.values()) for (const pool of byProtocol.values()) pool.drain();
  }
}
