import type { TcpProxyConfig } from "../../config/types.ts";
import { formatAddress } from "../../net/address.ts";
import type { CloseEvent, ConnectionCallbacks } from "../../net/connection-events.ts";
import type { Connection } from "../../net/connection.ts";
import { FilterStatus, type ReadFilter } from "../../net/filter.ts";
import type { SocketError } from "../../net/socket-error.ts";
import type { Cluster } from "../../upstream/cluster.ts";
import type { ConnectAnyCallbacks, ConnectAttempt, ConnectFailure } from "../../upstream/connection-factory.ts";
import type { Host } from "../../upstream/types.ts";
import type { FilterFactoryContext } from "../types.ts";
import { selectTcpCluster } from "./route.ts";
import type { TcpProxyStats } from "./stats.ts";

/** What every session of one tcp_proxy filter config shares; built once per listener. */
export interface TcpProxyShared {
  readonly config: TcpProxyConfig;
  readonly ctx: FilterFactoryContext;
  readonly stats: TcpProxyStats;
}

/**
 * One downstream connection proxied to one upstream connection (MOSN's tcpproxy.proxy).
 * Reads from the downstream wait until the upstream is connected; afterwards each side's
 * write watermarks pause and resume the other side's reads, so a slow reader on either end
 * holds at most one buffer limit in the proxy per direction.
 */
export class TcpProxySession implements ReadFilter, ConnectAnyCallbacks {
  private cluster: Cluster | undefined;
  private host: Host | undefined;
  private connecting: ConnectAttempt | undefined;
  private upstream: Connection | undefined;
  // Bytes that arrived before the upstream was ready (at most a chunk or two: reads are off).
  private early: Uint8Array[] = [];
  private earlyEnd = false;
  private readonly fromUpstream: ReadFilter;
  private readonly upstreamEvents: ConnectionCallbacks;

  constructor(private readonly shared: TcpProxyShared, private readonly downstream: Connection) {
    const down = downstream;
    const stats = shared.stats;
    this.fromUpstream = {
      onData: (data, endStream) => {
        if (data.length > 0) down.write(data);
        if (endStream) down.end();
        return FilterStatus.Stop;
      },
    };
    this.upstreamEvents = {
      onAboveWriteBufferHighWatermark: () => {
        stats.downstreamFlowControlPausedReading.value++;
        down.readDisable(true);
      },
      onBelowWriteBufferLowWatermark: () => {
        stats.downstreamFlowControlResumedReading.value++;
        down.readDisable(false);
      },
      onClose: (ev) => this.onUpstreamClose(ev),
    };
  }

  onNewConnection(): FilterStatus {
    const { config, ctx, stats } = this.shared;
    const down = this.downstream;
    stats.downstreamCxTotal.value++;
    down.addConnectionCallbacks({
      onAboveWriteBufferHighWatermark: () => this.upstream?.readDisable(true),
      onBelowWriteBufferLowWatermark: () => this.upstream?.readDisable(false),
      onClose: (ev) => this.onDownstreamClose(ev),
    });
    if (config.idleTimeoutMs > 0) down.setIdleTimeout(config.idleTimeoutMs);
    const name = selectTcpCluster(config, down.remote, down.local);
    this.cluster = name === undefined ? undefined : ctx.clusterManager.get(name);
    if (!this.cluster) {
      stats.downstreamCxNoRoute.value++;
      ctx.logger.warn(
        `tcp_proxy ${ctx.listenerName}: [${down.id}] no route for connection from ${
          formatAddress(down.remote)
        }, closing`,
      );
      down.close("now");
      return FilterStatus.Stop;
    }
    down.readDisable(true);
    this.connecting = ctx.connectionFactory.connectAny(
      this.cluster,
      { downstreamAddress: down.remote },
      config.maxConnectAttempts,
      this,
    );
    return FilterStatus.Stop;
  }

  onData(data: Uint8Array, endStream: boolean): FilterStatus {
    const up = this.upstream;
    if (up) {
      if (data.length > 0) up.write(data);
      if (endStream) up.end();
    } else {
      if (data.length > 0) this.early.push(data);
      if (endStream) this.earlyEnd = true;
    }
    return FilterStatus.Stop;
  }

  onAttemptFailed(host: Host, error: SocketError, attempt: number): void {
    const { config, ctx } = this.shared;
    ctx.logger.warn(
      `tcp_proxy ${ctx.listenerName}: [${this.downstream.id}] upstream ${host.addressText} of cluster ${host.clusterName}: ${error.message} (attempt ${attempt} of ${config.maxConnectAttempts})`,
    );
  }

  onFailure(reason: ConnectFailure, error: SocketError | undefined): void {
    this.connecting = undefined;
    const { ctx } = this.shared;
    if (reason === "no_healthy_host") {
      ctx.logger.warn(
        `tcp_proxy ${ctx.listenerName}: [${this.downstream.id}] cluster ${
          this.cluster!.name
        } has no host to connect to, closing downstream`,
      );
    } else if (reason === "not_retryable") {
      ctx.logger.warn(
        `tcp_proxy ${ctx.listenerName}: [${this.downstream.id}] giving up on cluster ${
          this.cluster!.name
        }: ${error?.message}`,
      );
    }
    this.downstream.close("now");
  }

  onConnected(up: Connection, host: Host): void {
    this.connecting = undefined;
    const { ctx } = this.shared;
    this.upstream = up;
    this.host = host;
    ctx.connectionFactory.requestStarted(this.cluster!, host);
    up.addReadFilter(this.fromUpstream);
    up.addConnectionCallbacks(this.upstreamEvents);
    if (this.early.length > 0) up.writev(this.early);
    this.early = [];
    if (this.earlyEnd) up.end();
    this.downstream.readDisable(false);
  }

  private onUpstreamClose(ev: CloseEvent): void {
    this.shared.ctx.connectionFactory.requestFinished(this.cluster!, this.host!);
    if (ev.reason === "idle_timeout") this.shared.stats.idleTimeout.value++;
    const down = this.downstream;
    if (down.closed) return;
    // A reset upstream is passed on as a reset, so the client does not take a cut stream as whole.
    if (ev.reason === "error") down.close("now", "error", ev.error ?? new Error("upstream reset"));
    else down.close("flush");
  }

  private onDownstreamClose(ev: CloseEvent): void {
    if (ev.reason === "idle_timeout") this.shared.stats.idleTimeout.value++;
    this.connecting?.cancel();
    this.connecting = undefined;
    const up = this.upstream;
    if (!up || up.closed) return;
    if (ev.reason === "remote_close") up.close("flush");
    else up.close("now", ev.reason === "error" ? "error" : "local_close", ev.error);
  }
}
