import type { Connection } from "../net/connection.ts";
import type { TimerEntry } from "../net/timer-lists.ts";
import type { PoolFailure } from "../pool/conn-pool.ts";
import { HeaderMap } from "../stream/header-map.ts";
import { normalizePath } from "../stream/normalize-path.ts";
import type { Protocol } from "../stream/protocol.ts";
import type { MessageListener, ResetReason, ServerStream, StreamCallbacks } from "../stream/types.ts";
import type { Cluster } from "../upstream/cluster.ts";
import type { Host } from "../upstream/types.ts";
import type { ProxyContext } from "./context.ts";
import { Phase, PHASE_NAMES } from "./phase.ts";
import type { ForwardRoute } from "../router/types.ts";
import { UpstreamRequest, type UpstreamRequestOwner } from "./upstream-request.ts";
import type { RequestFilterPhase, StreamFilter, StreamFilterHandle } from "../stream-filters/types.ts";
import { StreamFilterChain } from "./filter-chain.ts";
import { FilterHandle } from "./filter-handle.ts";

const EMPTY = new Uint8Array(0);

/** The chunks as one array (a copy only when there is more than one). */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Tries after the first for a connection failure when the route has no retry policy (MOSN's default). */
const DEFAULT_CONNECT_RETRIES = 3;

/** What went wrong, as a retry policy sees it. */
type Failure = "connect" | "per_try_timeout" | "reset" | "5xx";

/**
 * One request through the proxy (MOSN's downStream): the phase machine from the request's
 * headers to the end of its response. It never blocks: a phase that must wait (for a pool, for
 * the response) returns, and the event that ends the wait moves the request on.
 *
 * The request body streams to the upstream as it arrives; up to `requestBufferLimitBytes` of it
 * is also kept, so the request can wait for a connection and be replayed on a retry. Retries
 * happen only before any response byte has gone to the client. Every exit goes through
 * `finish`, which gives back what the request held: timers, the upstream try, read disables.
 *
 * The listener's stream filters run at MOSN's three request phases (before route, after route,
 * after choose host) and on every response, the proxy's own included; a filter may hold the
 * request (`Stop`, resumed by `continueRequest`), ask for the whole body first
 * (`StopAndBuffer`, bounded by `maxRequestBodyBytes`: 413 past it) or answer it itself.
 */
export class Downstream implements MessageListener, StreamCallbacks, UpstreamRequestOwner {
  private phase: Phase = Phase.InitPhase;
  private headers: HeaderMap | undefined;
  private requestEnded = false;
  private trailers: HeaderMap | undefined;
  private body: Uint8Array[] = [];
  private bodyBytes = 0;
  /** The route may replay the request (retry_on): keep the body after it was sent. */
  private keepForReplay = false;
  /** False once the body outgrew the buffer: it cannot be replayed. */
  private replayable = true;
  private route: ForwardRoute | undefined;
  private cluster: Cluster | undefined;
  private hosts: Iterator<Host> | undefined;
  private upstream: UpstreamRequest | undefined;
  private retriesLeft = 0;
  private globalTimer: TimerEntry | undefined;
  private tryTimer: TimerEntry | undefined;
  private globalStarted = false;
  /** The client's connection is backed up: new upstream streams start read-disabled. */
  private clientBackedUp = false;
  /** Read disables this request holds on the client's stream. */
  private clientPauses = 0;
  private upstreamPaused = false;
  private finished = false;
  private host: Host | undefined;
  private readonly filters: StreamFilterChain;
  /** A filter holds the request (Stop) or waits for its whole body (StopAndBuffer). */
  private held = false;
  /** The filter waiting for the whole body, until it is in. */
  private bodyFilter: StreamFilter | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    readonly stream: ServerStream,
    private readonly connection: Connection,
    private readonly upstreamProtocol: Protocol,
  ) {
    stream.setCallbacks(this);
    ctx.stats.rqTotal.value++;
    ctx.stats.rqActive.value++;
    const makers = ctx.streamFilters;
    const filters: StreamFilter[] = [];
    if (makers.length > 0) {
      const handle = this.filterHandle();
      for (let i = 0; i < makers.length; i++) filters.push(makers[i]!(handle));
    }
    this.filters = new StreamFilterChain(filters, (err, hook) => this.onFilterError(err, hook));
  }

  // ---- the request, from the client ----

  onHeaders(headers: HeaderMap, end: boolean): void {
    if (this.finished) return;
    this.headers = headers;
    this.requestEnded = end;
    if (this.ctx.settings.normalizePath) {
      const path = headers.get(":path");
      const normal = path === undefined ? undefined : normalizePath(path);
      if (path !== undefined && normal === undefined) {
        return this.localReply(400, "malformed percent-encoding in the path");
      }
      if (normal !== path) headers.set(":path", normal!);
    }
    this.enter(Phase.DownFilter);
    this.advance();
  }

  /** Runs the request's phases from the current one until one has to wait or the request ends. */
  private advance(): void {
    while (!this.finished && !this.held) {
      switch (this.phase) {
        case Phase.DownFilter:
          if (!this.runFilters("before_route")) return;
          this.enter(Phase.MatchRoute);
          break;
        case Phase.MatchRoute:
          if (!this.matchRoute()) return;
          this.enter(Phase.DownFilterAfterRoute);
          break;
        case Phase.DownFilterAfterRoute:
          if (!this.runFilters("after_route")) return;
          this.enter(Phase.ChooseHost);
          break;
        case Phase.ChooseHost:
          if (!this.pickHost()) return;
          this.enter(Phase.DownFilterAfterChooseHost);
          break;
        case Phase.DownFilterAfterChooseHost:
          if (!this.runFilters("after_choose_host")) return;
          this.startUpstream();
          return;
        default:
          return;
      }
    }
  }

  /** One phase's request filters; false when one holds or answered the request. */
  private runFilters(phase: RequestFilterPhase): boolean {
    if (this.filters.size === 0) return true;
    const outcome = this.filters.runRequestHeaders(phase, this.headers!, this.requestEnded, () => this.finished);
    if (outcome.kind === "continue") return true;
    if (outcome.kind === "buffer") {
      this.bodyFilter = outcome.filter;
      if (this.requestEnded) return this.deliverWholeBody();
    }
    this.held = true;
    return false;
  }

  /** Hands the whole request body to the filter that asked for it; true to go on at once. */
  private deliverWholeBody(): boolean {
    const filter = this.bodyFilter!;
    this.bodyFilter = undefined;
    const whole = concat(this.body, this.bodyBytes);
    const replaced = filter.onRequestBody?.(whole);
    if (this.finished) return false;
    if (replaced && replaced !== whole) {
      this.body = replaced.length > 0 ? [replaced] : [];
      this.bodyBytes = replaced.length;
      if (this.headers!.has("content-length")) this.headers!.set("content-length", String(replaced.length));
    }
    return true;
  }

  /** Resumes a request a filter held: from where the walk stopped. */
  private resume(): void {
    if (this.finished || !this.held || this.bodyFilter !== undefined) return;
    this.held = false;
    this.advance();
  }

  private matchRoute(): boolean {
    const headers = this.headers!;
    const result = this.ctx.router.route(headers, this.ctx.random);
    if (result === undefined) {
      this.ctx.stats.noRoute.value++;
      this.localReply(404, "no route for this request");
      return false;
    }
    if (result.kind === "direct") {
      this.ctx.stats.rqDirectResponse.value++;
      const extra = new HeaderMap();
      result.rewriteResponse(extra);
      this.localReply(result.status, result.body, extra, false);
      return false;
    }
    if (result.kind === "redirect") {
      this.ctx.stats.rqRedirect.value++;
      const extra = new HeaderMap();
      extra.add("location", result.location);
      result.rewriteResponse(extra);
      this.localReply(result.status, "", extra);
      return false;
    }
    const route = result.route;
    this.route = route;
    const cluster = route.cluster === undefined ? undefined : this.ctx.clusterManager.get(route.cluster);
    if (cluster === undefined) {
      this.ctx.stats.noCluster.value++;
      this.localReply(
        503,
        route.cluster === undefined
          ? "the route names no cluster for this request"
          : `unknown cluster ${route.cluster}`,
      );
      return false;
    }
    this.cluster = cluster;
    route.rewriteRequest(headers);
    if (this.ctx.settings.appendForwardedFor && this.protocolFor(route).forwardedHeaders) this.appendForwarded(headers);
    const policy = route.retryPolicy;
    this.retriesLeft = policy && policy.numRetries > 0 ? policy.numRetries : DEFAULT_CONNECT_RETRIES;
    this.keepForReplay = policy?.retryOn === true;
    this.hosts = cluster.lb.choose({ downstreamAddress: this.connection.remote });
    return true;
  }

  onData(chunk: Uint8Array, end: boolean): void {
    if (this.finished) return;
    if (end) this.requestEnded = true;
    if (this.filters.size > 0) {
      chunk = this.filters.requestData(chunk, end);
      if (this.finished) return;
    }
    if (this.bodyFilter !== undefined) return this.gatherWholeBody(chunk, end);
    this.keep(chunk);
    const up = this.upstream;
    if (up?.ready) {
      up.stream!.sendData(chunk, end);
      if (end) this.onRequestSent();
    }
  }

  onTrailers(trailers: HeaderMap): void {
    if (this.finished) return;
    this.requestEnded = true;
    this.trailers = trailers;
    if (this.filters.size > 0) {
      this.filters.requestTrailers(trailers);
      if (this.finished) return;
    }
    if (this.bodyFilter !== undefined) return this.gatherWholeBody(EMPTY, true);
    const up = this.upstream;
    if (up?.ready) {
      up.stream!.sendTrailers(trailers);
      this.onRequestSent();
    }
  }

  /** A body chunk for the filter that wants the whole body; 413 past the limit. */
  private gatherWholeBody(chunk: Uint8Array, end: boolean): void {
    if (chunk.length > 0) {
      this.body.push(chunk);
      this.bodyBytes += chunk.length;
      if (this.bodyBytes > this.ctx.settings.maxRequestBodyBytes) {
        return this.localReply(413, `request body over ${this.ctx.settings.maxRequestBodyBytes} bytes`);
      }
    }
    if (end && this.deliverWholeBody()) {
      this.held = false;
      this.advance();
    }
  }

  // ---- events of the client's stream ----

  onReset(reason: ResetReason, details: string): void {
    if (this.finished) return;
    this.ctx.stats.rqRxReset.value++;
    this.debug(() => `client stream reset (${reason}: ${details}), cancelling the upstream request`);
    this.finish();
  }

  onAboveWriteBufferHighWatermark(): void {
    // A slow client: stop reading the upstream response until the client has caught up.
    this.clientBackedUp = true;
    if (this.upstream?.ready) this.upstream.stream!.readDisable(true);
  }

  onBelowWriteBufferLowWatermark(): void {
    this.clientBackedUp = false;
    if (this.upstream?.ready) this.upstream.stream!.readDisable(false);
  }

  // ---- the upstream try ----

  private pickHost(): boolean {
    const next = this.hosts!.next();
    if (next.done) {
      this.ctx.stats.noHealthyUpstream.value++;
      this.localReply(503, `no healthy upstream in cluster ${this.cluster!.name}`);
      return false;
    }
    this.host = next.value;
    this.route!.rewriteHostForUpstream(this.headers!, next.value.hostname);
    return true;
  }

  private startUpstream(): void {
    const up = new UpstreamRequest(this, this.host!);
    this.upstream = up;
    up.start(this.ctx.pools.get(this.cluster!, this.host!, this.protocolFor(this.route!)));
  }

  onUpstreamReady(up: UpstreamRequest): void {
    if (up !== this.upstream || this.finished) return;
    this.ctx.connectionFactory.requestStarted(this.cluster!, up.host);
    this.enter(Phase.DownRecvHeader);
    const s = up.stream!;
    const body = this.body;
    const trailers = this.trailers;
    s.sendHeaders(this.headers!, this.requestEnded && body.length === 0 && trailers === undefined);
    if (body.length > 0) this.enter(Phase.DownRecvData);
    for (let i = 0; i < body.length; i++) {
      s.sendData(body[i]!, this.requestEnded && trailers === undefined && i === body.length - 1);
    }
    if (trailers) {
      this.enter(Phase.DownRecvTrailer);
      s.sendTrailers(trailers);
    }
    // Without a policy that may replay it, the body need not be kept once sent; past the buffer
    // limit it cannot be replayed whole.
    if (this.bodyBytes > this.ctx.settings.requestBufferLimitBytes) this.replayable = false;
    if (!this.keepForReplay || !this.replayable) this.dropBody();
    if (this.clientBackedUp) s.readDisable(true);
    this.releaseClientPauses();
    if (this.requestEnded) this.onRequestSent();
  }

  onUpstreamPoolFailure(up: UpstreamRequest, reason: PoolFailure, details: string): void {
    if (up !== this.upstream || this.finished) return;
    this.upstream = undefined;
    if (reason === "overflow") {
      this.cluster!.stats.rqPendingOverflow.value++;
      return this.localReply(503, `upstream overflow: ${details}`);
    }
    this.ctx.logger.warn(`${this.tag()} upstream ${up.host.addressText} of cluster ${this.cluster!.name}: ${details}`);
    if (this.mayRetry("connect")) return this.retry();
    this.localReply(503, `upstream connect error: ${details}`);
  }

  onUpstreamHeaders(up: UpstreamRequest, headers: HeaderMap, end: boolean): void {
    if (up !== this.upstream || this.finished) return;
    const status = Number(headers.get(":status"));
    if (status >= 500 && this.mayRetry("5xx") && this.retriesStatus(status)) {
      up.abandon();
      this.upstreamDone(up);
      this.upstream = undefined;
      return this.retry();
    }
    this.clearTryTimer();
    this.enter(Phase.UpFilter);
    this.route!.rewriteResponse(headers);
    if (this.filters.size > 0) this.filters.responseHeaders(headers, end);
    this.enter(Phase.UpRecvHeader);
    this.countStatus(Number(headers.get(":status")));
    this.stream.sendHeaders(headers, end);
    if (end) this.finish();
  }

  onUpstreamData(up: UpstreamRequest, chunk: Uint8Array, end: boolean): void {
    if (up !== this.upstream || this.finished) return;
    if (this.phase !== Phase.UpRecvData) this.enter(Phase.UpRecvData);
    if (this.filters.size > 0) chunk = this.filters.responseData(chunk, end);
    this.stream.sendData(chunk, end);
    if (end) this.finish();
  }

  onUpstreamTrailers(up: UpstreamRequest, trailers: HeaderMap): void {
    if (up !== this.upstream || this.finished) return;
    this.enter(Phase.UpRecvTrailer);
    if (this.filters.size > 0) this.filters.responseTrailers(trailers);
    this.stream.sendTrailers(trailers);
    this.finish();
  }

  onUpstreamReset(up: UpstreamRequest, reason: ResetReason, details: string): void {
    if (up !== this.upstream || this.finished) return;
    this.upstreamDone(up);
    this.upstream = undefined;
    this.ctx.logger.warn(`${this.tag()} upstream ${up.host.addressText} reset the request (${reason}: ${details})`);
    if (!this.stream.responseStarted && this.mayRetry("reset")) return this.retry();
    if (this.stream.responseStarted) {
      this.stream.reset("remote_reset");
      return this.finish();
    }
    this.localReply(reason === "connection_failure" ? 503 : 502, `upstream reset: ${reason}`);
  }

  onUpstreamBackpressure(up: UpstreamRequest, above: boolean): void {
    if (up !== this.upstream || this.finished) return;
    // A slow upstream: stop reading the client until the upstream has taken what is queued.
    if (above && !this.upstreamPaused) {
      this.upstreamPaused = true;
      this.stream.readDisable(true);
    } else if (!above && this.upstreamPaused) {
      this.upstreamPaused = false;
      this.stream.readDisable(false);
    }
  }

  // ---- timeouts and retries ----

  /** The whole request reached the current try: the route's timer starts once, each try's every time. */
  private onRequestSent(): void {
    if (this.stream.oneway) {
      // No response will come (MOSN's oneway path): the request is done once it is sent.
      this.upstream!.done = true;
      return this.finish();
    }
    this.enter(Phase.WaitNotify);
    const timers = this.ctx.timers;
    if (!this.globalStarted) {
      this.globalStarted = true;
      // The route's timeout, else the one the caller wrote into its RPC request, else the default.
      const ms = this.route!.timeoutMs ?? (this.stream.requestTimeoutMs || this.ctx.settings.defaultTimeoutMs);
      if (ms > 0) this.globalTimer = timers.schedule(ms, () => this.onGlobalTimeout(ms));
    }
    this.clearTryTimer();
    const perTry = this.route!.retryPolicy?.perTryTimeoutMs ?? 0;
    if (perTry > 0) this.tryTimer = timers.schedule(perTry, () => this.onTryTimeout(perTry));
  }

  private onGlobalTimeout(ms: number): void {
    this.globalTimer = undefined;
    if (this.finished) return;
    this.cluster!.stats.rqTimeout.value++;
    this.giveUpOnUpstream(`upstream request timeout after ${ms}ms`);
  }

  private onTryTimeout(ms: number): void {
    this.tryTimer = undefined;
    if (this.finished || this.stream.responseStarted) return;
    this.cluster!.stats.rqPerTryTimeout.value++;
    const up = this.upstream;
    if (up) {
      up.abandon();
      this.upstreamDone(up);
      this.upstream = undefined;
    }
    if (this.mayRetry("per_try_timeout")) return this.retry();
    this.giveUpOnUpstream(`upstream per-try timeout after ${ms}ms`);
  }

  /** 504 when nothing has gone to the client yet, else a reset: a cut response must not look whole. */
  private giveUpOnUpstream(details: string): void {
    this.debug(() => details);
    if (this.stream.responseStarted) {
      this.stream.reset("local_reset");
      return this.finish();
    }
    this.localReply(504, details);
  }

  /**
   * MOSN's retry check: connection failures are always retried (up to the retry budget),
   * and with `retry_on` also 5xx responses, per-try timeouts and connections lost mid-request.
   * Never once the response has started, nor without the whole request body at hand.
   */
  private mayRetry(failure: Failure): boolean {
    if (this.retriesLeft <= 0 || this.stream.responseStarted || !this.replayable) return false;
    if (failure === "connect") return true;
    return this.route!.retryPolicy?.retryOn === true;
  }

  /** `status_codes` narrows which 5xx are retried; none listed means every 5xx. */
  private retriesStatus(status: number): boolean {
    const codes = this.route!.retryPolicy?.statusCodes;
    return codes === undefined || codes.length === 0 || codes.includes(status);
  }

  private retry(): void {
    this.retriesLeft--;
    this.cluster!.stats.rqRetry.value++;
    this.clearTryTimer();
    this.upstream = undefined;
    this.enter(Phase.Retry);
    this.enter(Phase.ChooseHost);
    this.filters.rewind();
    this.advance();
  }

  // ---- the end ----

  /**
   * Answers with a response of our own (enters at UpFilter, as MOSN's hijack replies do). The
   * proxy's own errors get a newline after their one-line reason; a configured direct response
   * body goes out as written.
   */
  private localReply(status: number, body: string, headers?: HeaderMap, ownMessage = true): void {
    if (this.finished) return;
    this.enter(Phase.UpFilter);
    const up = this.upstream;
    if (up) {
      up.abandon();
      this.upstreamDone(up);
      this.upstream = undefined;
    }
    const reply = headers ?? new HeaderMap();
    reply.set(":status", String(status));
    if (this.filters.size > 0) this.filters.responseHeaders(reply, body === "");
    const final = Number(reply.get(":status")) || status;
    this.countStatus(final);
    this.debug(() => `local reply ${final}: ${body}`);
    this.stream.sendLocalReply(final, body && ownMessage ? body + "\n" : body, reply);
    this.finish();
  }

  /** The only exit: timers, the upstream try, the body and the read disables are given back. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.enter(Phase.End);
    this.globalTimer?.cancel();
    this.globalTimer = undefined;
    this.clearTryTimer();
    const up = this.upstream;
    if (up) {
      up.abandon();
      this.upstreamDone(up);
    }
    this.upstream = undefined;
    this.dropBody();
    this.releaseClientPauses();
    if (this.upstreamPaused) {
      this.upstreamPaused = false;
      this.stream.readDisable(false);
    }
    this.ctx.stats.rqActive.value--;
    if (this.filters.size > 0) this.filters.destroy();
  }

  private upstreamDone(up: UpstreamRequest): void {
    if (up.stream) this.ctx.connectionFactory.requestFinished(this.cluster!, up.host);
    up.stream = undefined;
  }

  private clearTryTimer(): void {
    this.tryTimer?.cancel();
    this.tryTimer = undefined;
  }

  /** Keeps a body chunk for a wait or a replay, pausing the client while no upstream takes it. */
  private keep(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const ready = this.upstream?.ready === true;
    if (ready && (!this.keepForReplay || !this.replayable)) return;
    this.body.push(chunk);
    this.bodyBytes += chunk.length;
    if (this.bodyBytes <= this.ctx.settings.requestBufferLimitBytes) return;
    if (ready) {
      this.replayable = false; // streaming on; the request can no longer be replayed whole
      this.dropBody();
    } else {
      this.clientPauses++;
      this.stream.readDisable(true); // until an upstream takes what is held
    }
  }

  private dropBody(): void {
    this.body = [];
    this.bodyBytes = 0;
  }

  private releaseClientPauses(): void {
    while (this.clientPauses > 0) {
      this.clientPauses--;
      this.stream.readDisable(false);
    }
  }

  /** The route's `upstream_protocol` when it names a registered one, else the listener's. */
  private protocolFor(route: ForwardRoute): Protocol {
    const name = route.upstreamProtocol;
    if (name === undefined || name.toLowerCase() === "auto") return this.upstreamProtocol;
    const p = this.ctx.protocols.get(name.toLowerCase());
    // HTTP versions carry each other's requests; an RPC request goes out only in its own protocol.
    if (
      p === undefined ||
      (p !== this.upstreamProtocol && !(p.forwardedHeaders && this.upstreamProtocol.forwardedHeaders))
    ) {
      return this.upstreamProtocol;
    }
    return p;
  }

  /** What the request's filters see of it and may do to it. */
  private filterHandle(): StreamFilterHandle {
    return new FilterHandle(
      {
        headers: () => this.headers!,
        route: () => this.route,
        host: () => this.host,
        done: () => this.finished,
        upstreamProtocol: () => (this.route ? this.protocolFor(this.route) : this.upstreamProtocol),
        continueRequest: () => this.resume(),
        sendLocalReply: (status, body, headers) => this.localReply(status, body, headers, false),
      },
      this.connection.remote,
      `[${this.connection.id},${this.stream.id}]`,
    );
  }

  /**
   * A stream filter threw: the bug costs this request only. It is logged with
   * `[connId,streamId]` and counted; the client gets 500 if nothing was sent yet, else a reset.
   */
  private onFilterError(err: unknown, hook: string): void {
    this.ctx.stats.filterErrors.value++;
    this.ctx.logger.error(`${this.tag()} stream filter failed in ${hook}: ${(err as Error)?.stack ?? err}`);
    if (this.finished) return;
    if (this.stream.responseStarted) {
      this.stream.reset("local_reset");
      this.finish();
    } else {
      this.localReply(500, "stream filter failed");
    }
  }

  private appendForwarded(headers: HeaderMap): void {
    const ip = this.connection.remote.host;
    const xff = headers.get("x-forwarded-for");
    headers.set("x-forwarded-for", xff === undefined || xff === "" ? ip : `${xff}, ${ip}`);
    if (!headers.has("x-forwarded-proto")) headers.set("x-forwarded-proto", "http");
  }

  private countStatus(status: number): void {
    const cls = Math.floor(status / 100);
    if (cls >= 1 && cls <= 5) this.ctx.stats.rqByClass[cls - 1]!.value++;
  }

  private enter(phase: Phase): void {
    this.phase = phase;
    this.debug(() => `enter phase ${PHASE_NAMES[phase]}[${phase}]`);
  }

  private tag(): string {
    return `${this.ctx.name} [${this.connection.id},${this.stream.id}]`;
  }

  private debug(message: () => string): void {
    if (this.ctx.logger.enabled("debug")) this.ctx.logger.debug(`${this.tag()} ${message()}`);
  }
}
