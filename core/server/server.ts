import type { IsthmusConfig } from "../config/types.ts";
import { ConfigError } from "../errors.ts";
import { SocketError } from "../net/socket-error.ts";
import { Listener } from "../listener/listener.ts";
import type { Address } from "../net/address.ts";
import type { Runtime } from "../net/runtime.ts";
import type { Logger } from "../observe/logger.ts";
import { Stats } from "../observe/stats.ts";
import type { FilterInstaller } from "../network-filters/types.ts";
import type { Registry } from "../registry.ts";
import { ClusterManager } from "../upstream/cluster-manager.ts";
import { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import { Pools } from "../pool/pools.ts";
import type { RandomSource } from "../upstream/types.ts";

export interface ServerDeps {
  readonly runtime: Runtime;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly stats?: Stats;
  /** Share listening ports with sibling worker processes. */
  readonly reusePort?: boolean;
  readonly random?: RandomSource;
}

/** MOSN's default `graceful_timeout` (pkg/server/reconfigure.go `GracefulTimeout`). */
export const DEFAULT_GRACEFUL_TIMEOUT_MS = 30_000;

/**
 * How long a SIGTERM lets open connections finish. MOSN keeps one process-wide value that each
 * server with a non-zero `graceful_timeout` overwrites (pkg/server/server.go NewServer), so the
 * last non-zero one wins and zero means the default.
 */
export function gracefulTimeoutMs(config: IsthmusConfig): number {
  let ms = DEFAULT_GRACEFUL_TIMEOUT_MS;
  for (const s of config.servers) if (s.gracefulTimeoutMs > 0) ms = s.gracefulTimeoutMs;
  return ms;
}

/** The error a listener that cannot bind is reported with, the same from a worker or a probe. */
export function listenErrorMessage(name: string, address: Address, err: unknown): string {
  const where = `listener ${name}: cannot listen on ${address.host}:${address.port}`;
  if (err instanceof SocketError) {
    // "listen 127.0.0.1:2045: address already in use (EADDRINUSE)" says the address and the
    // errno a second time; keep the errno first and the words after it.
    const words = err.message.replace(/^listen \S+: /, "").replace(/ \([A-Z0-9_]+\)$/, "");
    return `${where}: ${err.errno ?? err.kind}: ${words}`;
  }
  const e = err as Error & { code?: string };
  return `${where}: ${e.code ?? e.name}: ${e.message}`;
}

export interface OpenedListener {
  readonly name: string;
  readonly address: Address;
  readonly filters: readonly string[];
}

/**
 * The running proxy for one validated config: the cluster manager and every bound listener
 * with its filter chain (MOSN's Mosn + server). Built objects only: parsing happened before.
 */
export class Server {
  readonly stats: Stats;
  readonly clusterManager: ClusterManager;
  /** Upstream connection pools, shared by every listener. */
  readonly pools: Pools;
  private readonly listeners: Listener[] = [];

  constructor(readonly config: IsthmusConfig, private readonly deps: ServerDeps) {
    this.stats = deps.stats ?? new Stats();
    this.clusterManager = new ClusterManager(
      config.clusters,
      deps.registry.loadBalancers,
      deps.random ?? Math.random,
      this.stats,
    );
    const random = deps.random ?? Math.random;
    const connectionFactory = new UpstreamConnectionFactory(deps.runtime);
    this.pools = new Pools(connectionFactory, { runtime: deps.runtime, stats: this.stats, logger: deps.logger });
    config.servers.forEach((server, si) => {
      server.listeners.forEach((lc, li) => {
        if (!lc.bindPort) return;
        const streamFilters = lc.streamFilters.map((sf, i) => {
          const factory = deps.registry.streamFilters.get(sf.type);
          const path = `servers[${si}].listeners[${li}].stream_filters[${i}]`;
          if (!factory) throw new ConfigError(`${path}.type`, `unknown stream filter type "${sf.type}"`);
          return factory.create(sf.config, {
            runtime: deps.runtime,
            clusterManager: this.clusterManager,
            pools: this.pools,
            random,
            stats: this.stats,
            logger: deps.logger,
            listenerName: lc.name,
          });
        });
        const chain = lc.filterChains.flatMap((fc, ci) =>
          fc.filters.map((f, fi): FilterInstaller => {
            const path = `servers[${si}].listeners[${li}].filter_chains[${ci}].filters[${fi}]`;
            const factory = deps.registry.networkFilters.get(f.type);
            if (!factory) throw new ConfigError(`${path}.type`, `unknown filter type "${f.type}"`);
            try {
              return factory.create(f.config, {
                runtime: deps.runtime,
                clusterManager: this.clusterManager,
                connectionFactory,
                pools: this.pools,
                routers: config.routers,
                protocols: deps.registry.protocols,
                random,
                streamFilters,
                stats: this.stats,
                logger: deps.logger,
                listenerName: lc.name,
              });
            } catch (err) {
              // A factory's ConfigError knows what is wrong but not where the filter is.
              if (err instanceof ConfigError && err.path === "") throw new ConfigError(`${path}.config`, err.message);
              throw err;
            }
          })
        );
        this.listeners.push(
          new Listener(lc, chain, {
            runtime: deps.runtime,
            stats: this.stats,
            logger: deps.logger,
            reusePort: deps.reusePort ?? false,
          }),
        );
      });
    });
  }

  /**
   * Binds every listener. If one cannot bind, those already bound are closed again and the
   * error names the listener, so a half-started proxy never keeps running.
   */
  async start(): Promise<OpenedListener[]> {
    const opened: OpenedListener[] = [];
    for (const l of this.listeners) {
      try {
        await l.start();
      } catch (err) {
        await Promise.all(this.listeners.map((x) => x.stop(true).catch(() => {})));
        throw new Error(listenErrorMessage(l.config.name, l.config.address, err));
      }
      opened.push({
        name: l.config.name,
        address: l.address,
        filters: l.config.filterChains.flatMap((c) => c.filters.map((f) => f.type)),
      });
    }
    return opened;
  }

  /** Stops accepting and closes every open connection, pooled upstream ones included. */
  async stop(): Promise<void> {
    await Promise.all(this.listeners.map((l) => l.stop(true)));
    this.pools.drain();
  }

  /**
   * Stops accepting on every listener at once; open downstream connections are left alone (a
   * drain), idle pooled upstream ones close.
   */
  async closeListeners(): Promise<void> {
    await Promise.all(this.listeners.map((l) => l.stop(false)));
    this.pools.closeIdle();
  }

  /** Resolves once no downstream connection is open: at once if none is. */
  async whenIdle(): Promise<void> {
    await Promise.all(this.listeners.map((l) => l.whenIdle()));
  }

  /** Closes every open downstream connection now (their upstreams close with them), and idle pooled ones. */
  closeConnections(): void {
    for (const l of this.listeners) l.closeConnections();
    this.pools.drain();
  }

  /** Bound address of the named listener (tests use port 0). */
  listenerAddress(name: string): Address | undefined {
    return this.listeners.find((l) => l.config.name === name)?.address;
  }

  get activeConnections(): number {
    return this.listeners.reduce((n, l) => n + l.activeConnections, 0);
  }

  /** Bytes queued toward downstream clients, across listeners (what a slow reader costs us). */
  get downstreamBufferedBytes(): number {
    return this.listeners.reduce((n, l) => n + l.bufferedBytes, 0);
  }
}
