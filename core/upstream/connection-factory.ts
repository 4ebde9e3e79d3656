import { Connection } from "../net/connection.ts";
import type { CloseEvent, ConnectionCallbacks } from "../net/connection-events.ts";
import type { Runtime } from "../net/runtime.ts";
import { SocketError } from "../net/socket-error.ts";
import type { Cluster } from "./cluster.ts";
import type { Host, LbContext } from "./types.ts";

/** Why `connectAny` gave up. */
export type ConnectFailure =
  | "no_healthy_host" // the balancer offered no host at all
  | "attempts_exceeded" // every allowed attempt failed with a retryable error
  | "not_retryable"; // an attempt failed in a way another host would not fix

export interface ConnectAnyCallbacks {
  /** A host accepted; the connection is open and now belongs to the caller. */
  onConnected(conn: Connection, host: Host): void;
  /** Nothing more will be tried; `error` is the last attempt's failure, if any was made. */
  onFailure(reason: ConnectFailure, error: SocketError | undefined): void;
  /** One attempt failed; the next host is tried right after (when allowed). */
  onAttemptFailed?(host: Host, error: SocketError, attempt: number): void;
}

/** A `connectAny` in progress; `cancel` abandons it (the pending connect is aborted). */
export interface ConnectAttempt {
  cancel(): void;
}

/**
 * Where every upstream connection is made: tcp_proxy uses it per downstream connection and the
 * connection pools per host. It applies the cluster's connect timeout and buffer limit, and keeps
 * the cluster's and the host's connection counters (`upstream_cx_*`, host `cx_*`) and the host's
 * active connection count that balancers read, so no caller counts on its own.
 */
export class UpstreamConnectionFactory {
  constructor(private readonly runtime: Runtime) {}

  /**
   * Starts a connection to `host` of `cluster` and returns it at once, "connecting" (see
   * `Connection.connect` for how the outcome is reported). The factory's own bookkeeping stays
   * attached for the connection's life; owners add and remove theirs.
   */
  connect(cluster: Cluster, host: Host): Connection {
    const conn = Connection.connect({
      runtime: this.runtime,
      address: host.address,
      connectTimeoutMs: cluster.config.connectTimeoutMs,
      bufferLimitBytes: cluster.config.connBufferLimitBytes,
      stats: cluster.stats.connection,
    });
    const hs = host.stats;
    hs.cxTotal.value++;
    hs.cxActive.value++;
    let established = false;
    conn.addConnectionCallbacks({
      onConnected: () => {
        established = true;
      },
      onClose: (ev) => {
        hs.cxActive.value--;
        if (ev.reason === "connect_failed" || ev.reason === "connect_timeout") {
          cluster.stats.cxConnectFail.value++;
          hs.cxConnectFail.value++;
          if (ev.reason === "connect_timeout") cluster.stats.cxConnectTimeout.value++;
        } else if (established) {
          if (ev.reason === "remote_close" || ev.reason === "error") cluster.stats.cxDestroyRemote.value++;
          else cluster.stats.cxDestroyLocal.value++;
        }
      },
    });
    return conn;
  }

  /**
   * Connects to the first host of `cluster` that accepts, walking the balancer's choice for
   * `lbContext` (first choice first). A retryable failure (refused, timed out, unreachable)
   * moves on to the next host, up to `maxAttempts` attempts in all.
   */
  connectAny(
    cluster: Cluster,
    lbContext: LbContext,
    maxAttempts: number,
    callbacks: ConnectAnyCallbacks,
  ): ConnectAttempt {
    return new HostWalkConnect(this, cluster, cluster.lb.choose(lbContext), maxAttempts, callbacks);
  }

  /** Counts a request (for L4, a session) starting on `host`; pair with `requestFinished`. */
  requestStarted(cluster: Cluster, host: Host): void {
    cluster.stats.rqTotal.value++;
    cluster.stats.rqActive.value++;
    host.stats.rqTotal.value++;
    host.stats.rqActive.value++;
  }

  requestFinished(cluster: Cluster, host: Host): void {
    cluster.stats.rqActive.value--;
    host.stats.rqActive.value--;
  }
}

/** One `connectAny`: tries hosts one after another until one connects or it must give up. */
class HostWalkConnect implements ConnectAttempt, ConnectionCallbacks {
  private attempts = 0;
  private current: Connection | undefined;
  private host: Host | undefined;
  private done = false;

  constructor(
    private readonly factory: UpstreamConnectionFactory,
    private readonly cluster: Cluster,
    private readonly hosts: Iterator<Host>,
    private readonly maxAttempts: number,
    private readonly callbacks: ConnectAnyCallbacks,
  ) {
    this.next(undefined);
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    const conn = this.current;
    this.current = undefined;
    if (conn) {
      conn.removeConnectionCallbacks(this);
      conn.close("now");
    }
  }

  onConnected(): void {
    const conn = this.current!;
    conn.removeConnectionCallbacks(this);
    this.current = undefined;
    this.done = true;
    this.callbacks.onConnected(conn, this.host!);
  }

  onClose(ev: CloseEvent): void {
    // Only a connecting connection reports here: once open, it belongs to the caller.
    this.current = undefined;
    const error = ev.error instanceof SocketError
      ? ev.error
      : new SocketError("other", ev.error?.message ?? ev.reason, { cause: ev.error, source: "upstream" });
    this.callbacks.onAttemptFailed?.(this.host!, error, this.attempts);
    if (this.done) return; // the callback cancelled us
    if (!error.retryable) {
      this.fail("not_retryable", error);
      return;
    }
    this.next(error);
  }

  private next(lastError: SocketError | undefined): void {
    const step = this.attempts < this.maxAttempts ? this.hosts.next() : undefined;
    if (!step || step.done) {
      if (this.attempts === 0) {
        this.cluster.stats.cxNoneHealthy.value++;
        this.fail("no_healthy_host", undefined);
      } else {
        this.cluster.stats.cxConnectAttemptsExceeded.value++;
        this.fail("attempts_exceeded", lastError);
      }
      return;
    }
    this.attempts++;
    this.host = step.value;
    const conn = this.factory.connect(this.cluster, step.value);
    this.current = conn;
    conn.addConnectionCallbacks(this);
  }

  private fail(reason: ConnectFailure, error: SocketError | undefined): void {
    this.done = true;
    this.callbacks.onFailure(reason, error);
  }
}
