/** Why a connection closed, as MOSN's ConnectionEvent names it. */
export type CloseReason =
  | "local_close" // we closed it (filter decision, shutdown)
  | "remote_close" // the peer closed cleanly
  | "idle_timeout"
  | "connect_failed" // an outbound connect was refused, unreachable or aborted; see `error`
  | "connect_timeout" // an outbound connect did not complete in time
  | "error"; // reset, broken pipe, protocol error

export interface CloseEvent {
  readonly reason: CloseReason;
  readonly error?: Error;
}

/**
 * Connection-level hooks, as Envoy's ConnectionCallbacks. Whoever owns a connection adds its
 * callbacks and removes them when it hands the connection on (a pool passing an upstream
 * connection from stream to stream), so nothing of a finished owner stays attached.
 */
export interface ConnectionCallbacks {
  /** An outbound connection finished connecting; bytes written while connecting are now sent. */
  onConnected?(): void;
  onClose?(event: CloseEvent): void;
  /** The write queue went past the buffer limit: stop feeding this connection. */
  onAboveWriteBufferHighWatermark?(): void;
  /** The write queue fell to half the limit after being past it: feed it again. */
  onBelowWriteBufferLowWatermark?(): void;
}

/** How `close` treats bytes not yet written (MOSN's ConnectionCloseType). */
export type CloseType = "flush" | "now";
