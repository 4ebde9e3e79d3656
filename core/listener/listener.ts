import type { ListenerConfig } from "../config/types.ts";
import { type Address, formatAddress } from "../net/address.ts";
import { Connection, type ConnectionStats } from "../net/connection.ts";
import type { ListenerHandle, Runtime } from "../net/runtime.ts";
import type { Socket } from "../net/socket.ts";
import type { SocketError } from "../net/socket-error.ts";
import type { Logger } from "../observe/logger.ts";
import type { Metric, Stats } from "../observe/stats.ts";
import type { FilterInstaller } from "../network-filters/types.ts";

const LISTENER_ERROR_LOG_INTERVAL_MS = 5000;

export interface ListenerDeps {
  readonly runtime: Runtime;
  readonly stats: Stats;
  readonly logger: Logger;
  readonly reusePort: boolean;
}

/**
 * One configured listener: accepts connections, wraps each in a Connection with the listener's
 * limits, installs the filter chain and starts it (MOSN's activeListener.OnAccept).
 */
export class Listener {
  private handle: ListenerHandle | undefined;
  private readonly connections = new Set<Connection>();
  private readonly connStats: ConnectionStats;
  /** Connections closed because a network filter (or a codec under it) threw. */
  private readonly filterErrors: Metric;
  private idleWaiters: (() => void)[] = [];
  private lastErrorLogAt = -Infinity;
  private errorsNotLogged = 0;

  constructor(
    readonly config: ListenerConfig,
    private readonly chain: readonly FilterInstaller[],
    private readonly deps: ListenerDeps,
  ) {
    const p = `listener.${config.name}.`;
    this.connStats = {
      total: deps.stats.counter(p + "downstream_cx_total"),
      active: deps.stats.gauge(p + "downstream_cx_active"),
      bytesRead: deps.stats.counter(p + "downstream_cx_rx_bytes_total"),
      bytesWritten: deps.stats.counter(p + "downstream_cx_tx_bytes_total"),
    };
    this.filterErrors = deps.stats.counter(p + "downstream_cx_filter_error");
  }

  /** The bound address (the real port when the config asked for 0). */
  get address(): Address {
    return this.handle?.address ?? this.config.address;
  }

  get activeConnections(): number {
    return this.connections.size;
  }

  /** Bytes queued toward this listener's clients and not yet taken by the OS. */
  get bufferedBytes(): number {
    let n = 0;
    for (const c of this.connections) n += c.bufferedAmount;
    return n;
  }

  async start(): Promise<void> {
    const { host, port } = this.config.address;
    this.handle = await this.deps.runtime.listen(
      {
        host,
        port,
        reusePort: this.deps.reusePort,
        highWaterMark: this.config.bufferLimitBytes,
        onError: (err) => this.onListenerError(err),
      },
      (socket) => this.accept(socket),
    );
  }

  /**
   * An accept failed (EMFILE, ...) and the listener goes on. One line per interval at most,
   * with a count of the failures in between, so an fd storm cannot flood the log.
   */
  private onListenerError(err: SocketError): void {
    const now = this.deps.runtime.now();
    if (now - this.lastErrorLogAt < LISTENER_ERROR_LOG_INTERVAL_MS) {
      this.errorsNotLogged++;
      return;
    }
    const more = this.errorsNotLogged > 0 ? ` (and ${this.errorsNotLogged} more since the last report)` : "";
    this.lastErrorLogAt = now;
    this.errorsNotLogged = 0;
    this.deps.logger.error(`listener ${this.config.name}: ${err.message}${more}`);
  }

  private accept(socket: Socket): void {
    const conn = new Connection(socket, {
      runtime: this.deps.runtime,
      idleTimeoutMs: this.config.idleTimeoutMs,
      stats: this.connStats,
      bufferLimitBytes: this.config.bufferLimitBytes,
    });
    this.connections.add(conn);
    const log = this.deps.logger;
    conn.addConnectionCallbacks({
      onClose: (ev) => {
        this.connections.delete(conn);
        if (this.connections.size === 0 && this.idleWaiters.length > 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const w of waiters) w();
        }
        const code = (ev.error as { code?: string } | undefined)?.code;
        if (code === "ISTHMUS_FILTER_FAILED") {
          this.filterErrors.value++;
          log.error(`listener ${this.config.name}: [${conn.id}] ${ev.error!.message}`);
        }
      },
    });
    if (log.enabled("debug")) {
      log.debug(`listener ${this.config.name}: accepted connection ${conn.id} from ${formatAddress(socket.remote)}`);
    }
    try {
      for (const install of this.chain) install(conn);
      conn.initializeReadFilters();
    } catch (err) {
      // A filter bug must cost this connection only, never the process or other connections.
      log.error(
        `listener ${this.config.name}: filter chain failed on connection ${conn.id}: ${(err as Error).stack ?? err}`,
      );
      conn.close("now", "error", err as Error);
    }
  }

  /**
   * Stops accepting. With `closeConnections`, also closes every open connection now; without,
   * tells each one to drain (ReadFilter.onDrain): an idle HTTP or RPC connection closes at once.
   */
  async stop(closeConnections: boolean): Promise<void> {
    await this.handle?.close();
    if (closeConnections) this.closeConnections();
    else for (const c of [...this.connections]) this.drainConnection(c);
  }

  private drainConnection(c: Connection): void {
    try {
      c.drain();
    } catch (err) {
      this.deps.logger.error(`listener ${this.config.name}: [${c.id}] drain failed: ${(err as Error).stack ?? err}`);
      c.close("now", "error", err as Error);
    }
  }

  /** Closes every open connection now (the end of a drain). */
  closeConnections(): void {
    for (const c of [...this.connections]) c.close("now");
  }

  /** Resolves once no connection accepted here is open: at once if none is. */
  whenIdle(): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
