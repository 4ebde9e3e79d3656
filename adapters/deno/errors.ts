import { type SocketError, toSocketError } from "../../core/net/socket-error.ts";

// Deno 2.9 sets `code` on its I/O errors; the class names are the fallback for errors without it.
const ERRNO_BY_CLASS: Readonly<Record<string, string>> = {
  ConnectionRefused: "ECONNREFUSED",
  ConnectionReset: "ECONNRESET",
  ConnectionAborted: "ECONNABORTED",
  BrokenPipe: "EPIPE",
  AddrInUse: "EADDRINUSE",
  AddrNotAvailable: "EADDRNOTAVAIL",
  PermissionDenied: "EACCES",
  NotCapable: "EACCES",
  TimedOut: "ETIMEDOUT",
  NetworkUnreachable: "ENETUNREACH",
};

/** A Deno error met while doing `op`, as a SocketError. */
export function denoSocketError(err: unknown, op: string): SocketError {
  const e = err as Error | undefined;
  // A failed name lookup is a plain Error: "failed to lookup address information: ...".
  const kind = /failed to lookup address/i.test(e?.message ?? "") ? "not_found" : undefined;
  return toSocketError(err, op, { errno: ERRNO_BY_CLASS[e?.name ?? ""], kind });
}
