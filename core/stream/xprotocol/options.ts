/** Limits and timers of an xprotocol connection, with MOSN's defaults where MOSN has one. */
export interface XProtocolOptions {
  /** Largest frame accepted either way; a bigger one closes the connection (a protocol error). */
  readonly maxFrameBytes: number;
  /** Requests in flight on one upstream connection before the pool opens another. */
  readonly maxConcurrentStreams: number;
  /** An upstream connection read-idle this long gets a heartbeat (MOSN: ConnReadTimeout, 15 s). */
  readonly keepaliveIntervalMs: number;
  /** A heartbeat unanswered this long has failed (MOSN: 1 s). */
  readonly keepaliveTimeoutMs: number;
  /** Heartbeats failed in a row before the connection is closed (MOSN: FailCountToClose, 6). */
  readonly keepaliveFailuresToClose: number;
}

export const DEFAULT_XPROTOCOL_OPTIONS: XProtocolOptions = Object.freeze({
  maxFrameBytes: 16 * 1024 * 1024,
  maxConcurrentStreams: 1024,
  keepaliveIntervalMs: 15_000,
  keepaliveTimeoutMs: 1_000,
  keepaliveFailuresToClose: 6,
});
