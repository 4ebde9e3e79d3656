import { ByteBuffer } from "../net/byte-buffer.ts";
import type { CloseEvent } from "../net/connection-events.ts";
import type { Connection } from "../net/connection.ts";
import { FilterStatus } from "../net/filter.ts";
import type { ClientCodec, ClientStream, MessageListener } from "../stream/types.ts";
import type { Cluster } from "../upstream/cluster.ts";
import type { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import type { Host } from "../upstream/types.ts";

/** Builds the client codec of the pool's protocol on a new upstream connection. */
export type ClientCodecFactory = (connection: Connection) => ClientCodec;

export type PoolFailure =
  | "overflow" // no connection could take it and the pending queue is full
  | "connection_failure" // the connection it waited for could not be made
  | "connect_timeout";

export interface PoolCallbacks {
  /** A stream on a ready connection; the request can be sent now. */
  onPoolReady(stream: ClientStream, host: Host): void;
  onPoolFailure(reason: PoolFailure, host: Host, details: string): void;
}

/** A queued `newStream`; cancel takes it out of the queue. */
export interface Cancellable {
  cancel(): void;
}

export interface ConnPoolLimits {
  /** Connections to the host, connecting ones included (Envoy's max_connections). */
  readonly maxConnections: number;
  /** Requests waiting for a connection (Envoy's max_pending_requests); past it, overflow. */
  readonly maxPendingRequests: number;
  /**
   * Requests one connection serves before it is closed; 0 = no limit (MOSN's
   * max_request_per_conn). On a multiplexed connection (capacity > 1) it caps the requests in
   * flight at once instead: closing a shared RPC connection every N requests would only churn
   * (MOSN v0.26 reads the key but no pool uses it; its RPC samples set 1024).
   */
  readonly maxRequestsPerConnection: number;
  /** An idle connection closes after this long; 0 keeps it. */
  readonly idleTimeoutMs: number;
}

/** Envoy's circuit-breaker defaults: 1024 connections, 1024 pending; idle connections kept a minute. */
export const DEFAULT_POOL_LIMITS: ConnPoolLimits = Object.freeze({
  maxConnections: 1024,
  maxPendingRequests: 1024,
  maxRequestsPerConnection: 0,
  idleTimeoutMs: 60_000,
});

class PoolClient {
  requests = 0;
  connected = false;
  readonly buf = new ByteBuffer();
  constructor(readonly connection: Connection, readonly codec: ClientCodec) {}
}

interface Waiter extends Cancellable {
  readonly listener: MessageListener;
  readonly callbacks: PoolCallbacks;
}

/**
 * The connections to one host for one protocol (MOSN's connection pools, Envoy's
 * conn_pool_base): one implementation for every protocol, shaped by the codec's `capacity`.
 * HTTP/1 has capacity 1, so each request gets a connection of its own and a finished one is
 * reused (keep-alive); a multiplexed protocol puts many streams on one connection.
 *
 * `newStream` places a request on a ready connection with room, else opens a connection (under
 * `maxConnections`), else queues it (under `maxPendingRequests`), else fails it with overflow.
 * Connections come from the upstream connection factory, so the cluster's timeouts and counters
 * apply. A connect failure fails the waiters no other connection will serve.
 */
export class ConnPool {
  private readonly clients = new Set<PoolClient>();
  private readonly waiters: Waiter[] = [];
  private draining = false;

  constructor(
    readonly cluster: Cluster,
    readonly host: Host,
    private readonly factory: UpstreamConnectionFactory,
    private readonly createCodec: ClientCodecFactory,
    private readonly limits: ConnPoolLimits = DEFAULT_POOL_LIMITS,
  ) {}

  /** Requests waiting for a connection. */
  get pending(): number {
    return this.waiters.length;
  }

  /** Streams in flight on this pool's connections. */
  get activeStreams(): number {
    let n = 0;
    for (const c of this.clients) n += c.codec.activeStreams;
    return n;
  }

  get connections(): number {
    return this.clients.size;
  }

  /**
   * Gets a stream for a request whose response goes to `listener`. When a connection is ready
   * it calls `onPoolReady` before returning and returns undefined; on overflow it calls
   * `onPoolFailure` and returns undefined; otherwise it queues and returns the way to cancel.
   */
  newStream(listener: MessageListener, callbacks: PoolCallbacks): Cancellable | undefined {
    const ready = this.readyClient();
    if (ready) {
      this.attach(ready, listener, callbacks);
      return undefined;
    }
    if (this.waiters.length >= this.limits.maxPendingRequests) {
      callbacks.onPoolFailure(
        "overflow",
        this.host,
        `${this.waiters.length} requests already wait for ${this.host.addressText}`,
      );
      return undefined;
    }
    const waiter: Waiter = { listener, callbacks, cancel: () => this.removeWaiter(waiter) };
    this.waiters.push(waiter);
    this.openIfNeeded();
    return waiter;
  }

  /** No new connections; idle ones close now and busy ones after their last stream. */
  drain(): void {
    this.draining = true;
    this.closeIdle();
  }

  /** Closes the connections that carry no stream; the pool stays open for new requests. */
  closeIdle(): void {
    for (const c of [...this.clients]) if (c.codec.activeStreams === 0) c.connection.close("flush");
  }

  private readyClient(): PoolClient | undefined {
    for (const c of this.clients) if (c.connected && this.hasRoom(c)) return c;
    return undefined;
  }

  private hasRoom(c: PoolClient): boolean {
    const max = this.limits.maxRequestsPerConnection;
    const codec = c.codec;
    if (!codec.reusable || c.connection.closing) return false;
    if (codec.capacity > 1) return codec.activeStreams < (max === 0 ? codec.capacity : Math.min(codec.capacity, max));
    return codec.activeStreams < codec.capacity && (max === 0 || c.requests < max);
  }

  /** Opens connections while the waiters outnumber what connecting ones will carry. */
  private openIfNeeded(): void {
    if (this.draining) return;
    let room = 0;
    for (const c of this.clients) if (!c.connected) room += c.codec.capacity;
    while (this.waiters.length > room && this.clients.size < this.limits.maxConnections) {
      room += this.open().codec.capacity;
    }
  }

  private open(): PoolClient {
    const connection = this.factory.connect(this.cluster, this.host);
    const client = new PoolClient(connection, this.createCodec(connection));
    this.clients.add(client);
    client.codec.onStreamDone = () => this.onStreamDone(client);
    connection.addReadFilter({
      onData: (data, endStream) => {
        if (data.length > 0) client.buf.append(data);
        client.codec.dispatch(client.buf);
        if (endStream) client.codec.endOfInput();
        return FilterStatus.Stop;
      },
    });
    connection.addConnectionCallbacks({
      onConnected: () => {
        client.connected = true;
        this.serveWaiters(client);
        this.idleIfUnused(client);
      },
      onClose: (ev) => this.onClientClose(client, ev),
    });
    return client;
  }

  private attach(client: PoolClient, listener: MessageListener, callbacks: PoolCallbacks): void {
    client.requests++;
    client.connection.setIdleTimeout(0);
    const stream = client.codec.newStream(listener);
    callbacks.onPoolReady(stream, this.host);
  }

  private serveWaiters(client: PoolClient): void {
    while (this.waiters.length > 0 && this.hasRoom(client)) {
      const w = this.waiters.shift()!;
      this.attach(client, w.listener, w.callbacks);
    }
  }

  private onStreamDone(client: PoolClient): void {
    if (!this.clients.has(client)) return;
    const max = this.limits.maxRequestsPerConnection;
    const spent = max > 0 && client.codec.capacity === 1 && client.requests >= max;
    if (this.draining || (spent && client.codec.activeStreams === 0)) {
      client.connection.close("flush");
      return;
    }
    if (!client.codec.reusable) return; // the codec is closing it; onClose replaces it if needed
    this.serveWaiters(client);
    this.idleIfUnused(client);
  }

  private idleIfUnused(client: PoolClient): void {
    if (
      client.codec.activeStreams === 0 && this.limits.idleTimeoutMs > 0 && !client.codec.keepsAlive &&
      !client.connection.closing
    ) {
      client.connection.setIdleTimeout(this.limits.idleTimeoutMs);
    }
  }

  private onClientClose(client: PoolClient, ev: CloseEvent): void {
    this.clients.delete(client);
    if (!client.connected) {
      // A connect that failed: the waiters it would have served fail with it, unless another
      // connection in progress can still carry them.
      let room = 0;
      for (const c of this.clients) if (!c.connected) room += c.codec.capacity;
      const reason = ev.reason === "connect_timeout" ? "connect_timeout" : "connection_failure";
      const details = ev.error?.message ?? ev.reason;
      while (this.waiters.length > room) {
        const w = this.waiters.pop()!;
        w.callbacks.onPoolFailure(reason, this.host, details);
      }
      return;
    }
    // A connection that served and closed: waiters still queued get a fresh one.
    this.openIfNeeded();
  }

  private removeWaiter(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }
}
