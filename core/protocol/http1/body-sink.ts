import type { HeaderMap } from "../../stream/header-map.ts";

/** Where a body decoder hands what it decoded; chunks are views into the read buffer. */
export interface BodySink {
  onBodyData(chunk: Uint8Array): void;
  /** A chunked body's trailer fields, once, before the body ends (only when there are some). */
  onTrailers(trailers: HeaderMap): void;
}

/** A decoder's answer: the body is complete, or more bytes are needed. Errors are returned as Http1ParseError. */
export const BODY_DONE = 1;
export const BODY_MORE = 0;
export type BodyProgress = typeof BODY_DONE | typeof BODY_MORE;
