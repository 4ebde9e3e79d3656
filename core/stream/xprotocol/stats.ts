import type { Metric, Stats } from "../../observe/stats.ts";

/** Counters of one RPC protocol's connections, under `xprotocol.<name>.`. */
export interface XProtocolStats {
  /** Heartbeats answered at this hop (from clients, or from an upstream pinging us). */
  readonly heartbeatsAnswered: Metric;
  /** Keepalive heartbeats we sent upstream that went unanswered in time. */
  readonly keepaliveFailures: Metric;
  /** Upstream connections closed because their heartbeats kept failing. */
  readonly keepaliveCloses: Metric;
  /** Responses whose id matched no request in flight (late, after a timeout or reset): dropped. */
  readonly unknownResponseIds: Metric;
  /** Frames that could not be decoded, either side. */
  readonly codecErrors: Metric;
  /** Frames of the wrong direction (a response from a client, a request from an upstream). */
  readonly unexpectedFrames: Metric;
  /** Requests cut short by an exception in the proxy (a bug): answered with an error, logged. */
  readonly internalErrors: Metric;
}

export function xprotocolStats(stats: Stats, protocol: string): XProtocolStats {
  const c = (name: string) => stats.counter(`xprotocol.${protocol}.${name}`);
  return {
    heartbeatsAnswered: c("heartbeats_answered"),
    keepaliveFailures: c("keepalive_failures"),
    keepaliveCloses: c("keepalive_closes"),
    unknownResponseIds: c("unknown_response_ids"),
    codecErrors: c("codec_errors"),
    unexpectedFrames: c("unexpected_frames"),
    internalErrors: c("internal_errors"),
  };
}
