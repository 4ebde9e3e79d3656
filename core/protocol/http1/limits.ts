/** Size limits an HTTP/1 codec enforces; each has a safe default and is configurable. */
export interface Http1Limits {
  /** Longest request line accepted (414 URI Too Long past it). */
  readonly maxRequestLineBytes: number;
  /** Largest head (start line plus fields, CRLFs included) accepted (431 past it). */
  readonly maxHeaderBytes: number;
  /** Most header fields in one head (431 past it). */
  readonly maxHeaderCount: number;
  /** Longest chunk-size line, extensions included (400 past it). */
  readonly maxChunkLineBytes: number;
}

/** Envoy's and nginx's order of magnitude: 64 KiB of head, 100 fields, 16 KiB of request line. */
export const DEFAULT_HTTP1_LIMITS: Http1Limits = Object.freeze({
  maxRequestLineBytes: 16 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 100,
  maxChunkLineBytes: 4 * 1024,
});
