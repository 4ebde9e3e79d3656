import { IsthmusError } from "../errors.ts";

/**
 * What went wrong on a socket, in the terms a retry policy decides on. Each adapter maps its
 * runtime's errors (node's `err.code`, Deno's error classes, Bun's messages) onto these kinds,
 * so core code never matches on runtime-specific text.
 */
export type SocketErrorKind =
  | "refused" // ECONNREFUSED: nothing listens there
  | "timeout" // the connect (or a read) timed out
  | "reset" // ECONNRESET / EPIPE: the peer aborted
  | "unreachable" // EHOSTUNREACH / ENETUNREACH / EHOSTDOWN / ENETDOWN
  | "not_found" // the name did not resolve (ENOTFOUND, EAI_*)
  | "address_in_use" // EADDRINUSE on listen
  | "access_denied" // EACCES / EPERM (a low port without the right)
  | "address_unavailable" // EADDRNOTAVAIL: no such local address
  | "aborted" // our own abort (downstream went away, shutdown)
  | "too_many_files" // EMFILE / ENFILE
  | "other";

/** The errno names each kind covers (POSIX names, as node reports them in `err.code`). */
const ERRNO_KINDS: ReadonlyMap<string, SocketErrorKind> = new Map([
  ["ECONNREFUSED", "refused"],
  ["ETIMEDOUT", "timeout"],
  ["ECONNRESET", "reset"],
  ["EPIPE", "reset"],
  ["ECONNABORTED", "reset"],
  ["EHOSTUNREACH", "unreachable"],
  ["ENETUNREACH", "unreachable"],
  ["EHOSTDOWN", "unreachable"],
  ["ENETDOWN", "unreachable"],
  ["ENOTFOUND", "not_found"],
  ["EAI_AGAIN", "not_found"],
  ["EAI_NONAME", "not_found"],
  ["EADDRINUSE", "address_in_use"],
  ["EACCES", "access_denied"],
  ["EPERM", "access_denied"],
  ["EADDRNOTAVAIL", "address_unavailable"],
  ["EMFILE", "too_many_files"],
  ["ENFILE", "too_many_files"],
]);

/** What each kind says in a message, the same on every runtime. */
const KIND_TEXT: Record<SocketErrorKind, string> = {
  refused: "connection refused",
  timeout: "timed out",
  reset: "connection reset",
  unreachable: "host or network unreachable",
  not_found: "name not resolved",
  address_in_use: "address already in use",
  access_denied: "permission denied",
  address_unavailable: "address not available",
  aborted: "aborted",
  too_many_files: "too many open files",
  other: "socket error",
};

/** Kinds where trying another host (or the same one again) may succeed. */
const RETRYABLE: ReadonlySet<SocketErrorKind> = new Set(["refused", "timeout", "reset", "unreachable", "not_found"]);

/** The kind an errno name stands for; "other" for names outside the table. */
export function kindOfErrno(errno: string | undefined): SocketErrorKind {
  return (errno && ERRNO_KINDS.get(errno)) || "other";
}

/**
 * A socket failure with a stable `code` (`ISTHMUS_SOCKET_REFUSED`, ...), its `kind`, the OS
 * `errno` name when the runtime gave one, and `retryable` set from the kind. `cause` keeps the
 * runtime's own error for logs.
 */
export class SocketError extends IsthmusError {
  readonly kind: SocketErrorKind;
  readonly errno: string | undefined;
  constructor(
    kind: SocketErrorKind,
    message: string,
    opts: { errno?: string; cause?: unknown; source?: "upstream" | "downstream" | "internal" } = {},
  ) {
    super(`ISTHMUS_SOCKET_${kind.toUpperCase()}`, message, {
      source: opts.source ?? "internal",
      retryable: RETRYABLE.has(kind),
      cause: opts.cause,
    });
    this.name = "SocketError";
    this.kind = kind;
    this.errno = opts.errno;
  }
}

/** The errno name a runtime error carries in `code` (node, Deno and Bun all set it), if any. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * The runtime error `err`, met while doing `op` ("connect 10.0.0.1:80", "listen ...", "read"),
 * as a SocketError. The kind comes from the errno (or `hint.kind` where the runtime gave none);
 * the message is the same on every runtime; the runtime's own error stays as `cause`.
 * A SocketError passes through unchanged.
 */
export function toSocketError(
  err: unknown,
  op: string,
  hint: { errno?: string; kind?: SocketErrorKind } = {},
): SocketError {
  if (err instanceof SocketError) return err;
  const errno = errnoOf(err) ?? hint.errno;
  const kind = errno && ERRNO_KINDS.has(errno) ? kindOfErrno(errno) : (hint.kind ?? "other");
  const detail = kind === "other" ? ((err as Error)?.message ?? String(err)) : KIND_TEXT[kind];
  return new SocketError(kind, `${op}: ${detail}${errno ? ` (${errno})` : ""}`, { errno, cause: err });
}

/**
 * The error an aborted connect rejects with: the abort reason itself when it already is a
 * SocketError (a connect timeout, say), else an "aborted" SocketError whose message ends with
 * the reason's and whose `cause` is the reason.
 */
export function abortedError(reason: unknown, op: string): SocketError {
  if (reason instanceof SocketError) return reason;
  const why = reason instanceof Error ? reason.message : reason === undefined ? "" : String(reason);
  return new SocketError("aborted", `${op}: ${KIND_TEXT.aborted}${why ? `: ${why}` : ""}`, { cause: reason });
}
