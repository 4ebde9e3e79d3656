/** Where a failure came from, for logs, stats and retry decisions. */
export type ErrorSource = "upstream" | "downstream" | "internal";

/** Base error with a stable `code` (as undici's UND_ERR_*), so callers never match on text. */
export class IsthmusError extends Error {
  readonly code: string;
  readonly source: ErrorSource;
  readonly retryable: boolean;
  constructor(
    code: string,
    message: string,
    opts: { source?: ErrorSource; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "IsthmusError";
    this.code = code;
    this.source = opts.source ?? "internal";
    this.retryable = opts.retryable ?? false;
  }
}

/** A config problem, naming the path of the offending field (`servers[0].listeners[1].address`). */
export class ConfigError extends IsthmusError {
  readonly path: string;
  constructor(path: string, message: string) {
    super("ISTHMUS_CONFIG", path ? `${path}: ${message}` : message);
    this.name = "ConfigError";
    this.path = path;
  }
}
