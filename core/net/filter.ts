import type { Connection } from "./connection.ts";

/** What a network filter returns: go on to the next filter, or stop the chain here. */
export const FilterStatus = { Continue: 0, Stop: 1 } as const;
export type FilterStatus = (typeof FilterStatus)[keyof typeof FilterStatus];

/** Handed to each read filter when it is added, as Envoy's ReadFilterCallbacks. */
export interface ReadFilterCallbacks {
  readonly connection: Connection;
  /** Runs the filters after this one, for a filter that returned Stop from onNewConnection. */
  continueReading(): void;
}

/**
 * Sees inbound bytes of one connection, in order. A filter that returns Stop has taken the
 * bytes: later filters do not see them. Stateful per connection: one instance per connection.
 */
export interface ReadFilter {
  initializeReadFilterCallbacks?(callbacks: ReadFilterCallbacks): void;
  /** Called once after all filters are added; Stop holds the later filters back. */
  onNewConnection?(): FilterStatus;
  /**
   * Inbound bytes. `endStream` is true once, when the peer half-closed; `data` is then
   * possibly empty. The chunk belongs to the filter chain: forward it, do not copy it.
   */
  onData(data: Uint8Array, endStream: boolean): FilterStatus;
  /**
   * The listener is draining (a graceful stop): finish what is in progress and close, at once
   * when nothing is. A filter without it keeps the connection until it ends or the drain period
   * does (tcp_proxy: a byte stream has no point where a close is safe).
   */
  onDrain?(): void;
}

/** Sees outbound bytes before the socket; Stop swallows them. */
export interface WriteFilter {
  onWrite(data: Uint8Array): FilterStatus;
}
