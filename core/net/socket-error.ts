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
  constructor(kind: SocketErrorKind, message: string, opts: { errno?: string; cause?: unknown; source?: "upstream" | "downstream" | "internal" } = {}) {
    super(`ISTHMUS_SOCKET_${kind.toUpperCase()}`, message, { source: opts.source ?? "internal", retryable: RETRYABLE.has(kind), cause: opts.cause });
    this.name = "SocketError";
    this.kind = kind;
    this.errno = opts.errno;
  }
}
