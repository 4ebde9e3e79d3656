/** Why a connection closed, as MOSN's ConnectionEvent names it. */
export type CloseReason =
  | "local_close" // we closed it (filter decision, shutdown)
  | "remote_close" // the peer closed cleanly
  | "idle_timeout"
  | "error"; // reset, broken pipe, protocol error

export interface CloseEvent {
  readonly reason: CloseReason;
  readonly error?: Error;
}

/** Connection-level hooks, as Envoy's ConnectionCallbacks. */
export interface ConnectionCallbacks {
  onClose?(event: CloseEvent): void;
  /** The write queue went past the buffer limit: stop feeding this connection. */
  onAboveWriteBufferHighWatermark?(): void;
  /** The write queue emptied after being past the limit: feed it again. */
  onBelowWriteBufferLowWatermark?(): void;
}

/** How `close` treats bytes not yet written (MOSN's ConnectionCloseType). */
export type CloseType = "flush" | "now";
