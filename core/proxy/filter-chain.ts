import type { HeaderMap } from "../stream/header-map.ts";
import { type RequestFilterPhase, type StreamFilter, StreamFilterStatus } from "../stream-filters/types.ts";

/** What running a phase's request-header hooks came to. */
export type HeadersOutcome =
  | { readonly kind: "continue" }
  /** A filter holds the request until it calls continueRequest. */
  | { readonly kind: "stop" }
  /** This filter wants the whole body first (StopAndBuffer). */
  | { readonly kind: "buffer"; readonly filter: StreamFilter };

const CONTINUE: HeadersOutcome = Object.freeze({ kind: "continue" });
const STOP: HeadersOutcome = Object.freeze({ kind: "stop" });

/**
 * One request's stream filters, in configured order, and where the request-header walk stands:
 * a filter that stops the request is resumed after, not run again. Request hooks run per phase
 * (a filter's `phase`, `before_route` by default); response hooks run for every response.
 */
export class StreamFilterChain {
  private cursor = 0;

  /**
   * `onError` hears of a hook that threw: a filter's bug costs its request (the caller answers
   * 500 or resets it), never the connection or the process. A hook that threw counts as having
   * returned nothing.
   */
  constructor(
    private readonly filters: readonly StreamFilter[],
    private readonly onError: (err: unknown, hook: string) => void,
  ) {}

  get size(): number {
    return this.filters.length;
  }

  /**
   * Runs the `onRequestHeaders` of `phase`'s filters from where the last run stopped. `ended`
   * tells whether the request ended meanwhile (a local reply from a filter): the walk stops.
   */
  runRequestHeaders(phase: RequestFilterPhase, headers: HeaderMap, end: boolean, ended: () => boolean): HeadersOutcome {
    const filters = this.filters;
    while (this.cursor < filters.length) {
      const f = filters[this.cursor++]!;
      if ((f.phase ?? "before_route") !== phase || f.onRequestHeaders === undefined) continue;
      let status: StreamFilterStatus;
      try {
        status = f.onRequestHeaders(headers, end);
      } catch (err) {
        this.onError(err, "onRequestHeaders");
        return STOP;
      }
      if (ended()) return STOP;
      if (status === StreamFilterStatus.Stop) return STOP;
      if (status === StreamFilterStatus.StopAndBuffer) return { kind: "buffer", filter: f };
    }
    this.cursor = 0;
    return CONTINUE;
  }

  /** Restarts a phase's walk from its first filter (a retry runs `after_choose_host` again). */
  rewind(): void {
    this.cursor = 0;
  }

  requestData(chunk: Uint8Array, end: boolean): Uint8Array {
    const filters = this.filters;
    try {
      for (let i = 0; i < filters.length; i++) {
        const replaced = filters[i]!.onRequestData?.(chunk, end);
        if (replaced) chunk = replaced;
      }
    } catch (err) {
      this.onError(err, "onRequestData");
    }
    return chunk;
  }

  requestTrailers(trailers: HeaderMap): void {
    const filters = this.filters;
    try {
      for (let i = 0; i < filters.length; i++) filters[i]!.onRequestTrailers?.(trailers);
    } catch (err) {
      this.onError(err, "onRequestTrailers");
    }
  }

  responseHeaders(headers: HeaderMap, end: boolean): void {
    const filters = this.filters;
    try {
      for (let i = 0; i < filters.length; i++) filters[i]!.onResponseHeaders?.(headers, end);
    } catch (err) {
      this.onError(err, "onResponseHeaders");
    }
  }

  responseData(chunk: Uint8Array, end: boolean): Uint8Array {
    const filters = this.filters;
    try {
      for (let i = 0; i < filters.length; i++) {
        const replaced = filters[i]!.onResponseData?.(chunk, end);
        if (replaced) chunk = replaced;
      }
    } catch (err) {
      this.onError(err, "onResponseData");
    }
    return chunk;
  }

  responseTrailers(trailers: HeaderMap): void {
    const filters = this.filters;
    try {
      for (let i = 0; i < filters.length; i++) filters[i]!.onResponseTrailers?.(trailers);
    } catch (err) {
      this.onError(err, "onResponseTrailers");
    }
  }

  /** Every filter's onDestroy runs, even after one threw. */
  destroy(): void {
    const filters = this.filters;
    for (let i = 0; i < filters.length; i++) {
      try {
        filters[i]!.onDestroy?.();
      } catch (err) {
        this.onError(err, "onDestroy");
      }
    }
  }
}
