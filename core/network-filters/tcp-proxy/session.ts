import type { TcpProxyConfig } from "../../config/types.ts";
import { IsthmusError } from "../../errors.ts";
import type { CloseEvent } from "../../net/connection-events.ts";
import { Connection, type ConnectionStats } from "../../net/connection.ts";
import { FilterStatus, type ReadFilter } from "../../net/filter.ts";
import type { TimerHandle } from "../../net/runtime.ts";
import type { Socket } from "../../net/socket.ts";
import type { Cluster } from "../../upstream/cluster.ts";
import type { Host } from "../../upstream/types.ts";
import type { FilterFactoryContext } from "../types.ts";
import { selectTcpCluster } from "./route.ts";
import type { TcpProxyStats } from "./stats.ts";

/** What every session of one tcp_proxy filter config shares; built once per listener. */
export interface TcpProxyShared {
  readonly config: TcpProxyConfig;
  readonly ctx: FilterFactoryContext;
  readonly stats: TcpProxyStats;
  readonly upstreamConnStats: ConnectionStats;
}

/**
 * One downstream connection proxied to one upstream connection (MOSN's tcpproxy.proxy).
 * Reads from the downstream wait until the upstream is connected; afterwards each side's
 * write watermarks pause and resume the other side's reads, so a slow reader on either end
 * holds at most one buffer limit in the proxy per direction.
 */
export class TcpProxySession implements ReadFilter {
  private cluster: Cluster | undefined;
  private hosts: Iterator<Host> | undefined;
  private host: Host | undefined;
  private attempts = 0;
  private upstream: Connection | undefined;
  private connecting: AbortController | undefined;
  private connectTimer: TimerHandle | undefined;
  // Bytes that arrived before the upstream was ready (at most a chunk or two: reads are off).
  private early: Uint8Array[] = [];
  private earlyEnd = false;

  constructor(private readonly shared: TcpProxyShared, private readonly downstream: Connection) {}

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
    const name = selectTcpCluster(config, down.socket.remote, down.socket.local);
    this.cluster = name === undefined ? undefined : ctx.clusterManager.get(name);
    if (!this.cluster) {
      stats.downstreamCxNoRoute.value++;
      ctx.logger.warn(`tcp_proxy ${ctx.listenerName}: no route for connection from ${down.socket.remote.host}:${down.socket.remote.port}, closing`);
      down.close("now");
      return FilterStatus.Stop;
    }
    down.readDisable(true);
    this.hosts = this.cluster.lb.choose({ downstreamAddress: down.socket.remote });
    this.connectNext();
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

  private connectNext(): void {
    const { config, ctx, stats } = this.shared;
    const cluster = this.cluster!;
    const next = this.attempts < config.maxConnectAttempts ? this.hosts!.next() : undefined;
    if (!next || next.done) {
      if (this.attempts === 0) {
        stats.upstreamNoHealthyHost.value++;
        ctx.logger.warn(`tcp_proxy ${ctx.listenerName}: cluster ${cluster.name} has no host to connect to, closing downstream`);
      } else {
        stats.upstreamConnectAttemptsExceeded.value++;
      }
      this.downstream.close("now");
      return;
    }
    const host = next.value;
    this.host = host;
    this.attempts++;
    cluster.stats.cxTotal++;
    const ac = new AbortController();
    this.connecting = ac;
    const timeoutMs = cluster.config.connectTimeoutMs;
    let timedOut = false;
    this.connectTimer = ctx.runtime.setTimer(timeoutMs, () => {
      timedOut = true;
      ac.abort(new IsthmusError("ISTHMUS_CONNECT_TIMEOUT", `connect timeout after ${timeoutMs}ms`, { source: "upstream", retryable: true }));
    });
    ctx.runtime
      .connect({ host: host.address.host, port: host.address.port, signal: ac.signal, highWaterMark: cluster.config.connBufferLimitBytes })
      .then(
        (socket) => this.onConnected(socket, host, ac),
        (err: Error) => this.onConnectFailed(err, host, ac, timedOut),
      );
  }

  private onConnectFailed(err: Error, host: Host, ac: AbortController, timedOut: boolean): void {
    if (this.connecting !== ac) return; // the downstream went away; nothing to report
    this.clearConnect();
    const { config, ctx, stats } = this.shared;
    const cluster = this.cluster!;
    cluster.stats.cxConnectFail++;
    stats.upstreamConnectFail.value++;
    if (timedOut) {
      cluster.stats.cxConnectTimeout++;
      stats.upstreamConnectTimeout.value++;
    }
    host.connectFailures++;
    ctx.logger.warn(
      `tcp_proxy ${ctx.listenerName}: upstream ${host.addressText} of cluster ${cluster.name}: ${err.message} (attempt ${this.attempts} of ${config.maxConnectAttempts})`,
    );
    this.connectNext();
  }

  private onConnected(socket: Socket, host: Host, ac: AbortController): void {
    if (this.connecting !== ac) {
      socket.destroy();
      return;
    }
    this.clearConnect();
    const { ctx } = this.shared;
    const cluster = this.cluster!;
    const up = new Connection(socket, { runtime: ctx.runtime, stats: this.shared.upstreamConnStats });
    this.upstream = up;
    cluster.stats.cxActive++;
    cluster.stats.rqTotal++;
    host.activeConnections++;
    host.activeRequests++;
    const down = this.downstream;
    up.addReadFilter({
      onData: (data, endStream) => {
        if (data.length > 0) down.write(data);
        if (endStream) down.end();
        return FilterStatus.Stop;
      },
    });
    up.addConnectionCallbacks({
      onAboveWriteBufferHighWatermark: () => down.readDisable(true),
      onBelowWriteBufferLowWatermark: () => down.readDisable(false),
      onClose: (ev) => this.onUpstreamClose(ev, host),
    });
    for (const chunk of this.early) up.write(chunk);
    this.early = [];
    if (this.earlyEnd) up.end();
    down.readDisable(false);
  }

  private onUpstreamClose(ev: CloseEvent, host: Host): void {
    const cluster = this.cluster!;
    cluster.stats.cxActive--;
    host.activeConnections--;
    host.activeRequests--;
    const down = this.downstream;
    if (down.closed) return;
    // A reset upstream is passed on as a reset, so the client does not take a cut stream as whole.
    if (ev.reason === "error") down.close("now", "error", ev.error ?? new Error("upstream reset"));
    else down.close("flush");
  }

  private onDownstreamClose(ev: CloseEvent): void {
    if (this.connecting) {
      const ac = this.connecting;
      this.clearConnect();
      ac.abort(new IsthmusError("ISTHMUS_DOWNSTREAM_CLOSED", "downstream closed while connecting", { source: "downstream" }));
    }
    const up = this.upstream;
    if (!up || up.closed) return;
    if (ev.reason === "remote_close") up.close("flush");
    else up.close("now", ev.reason === "error" ? "error" : "local_close", ev.error);
  }

  private clearConnect(): void {
    if (this.connectTimer !== undefined) this.shared.ctx.runtime.clearTimer(this.connectTimer);
    this.connectTimer = undefined;
    this.connecting = undefined;
  }
}
