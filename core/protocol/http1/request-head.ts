import { HeaderMap } from "../../stream/header-map.ts";
import { CR, LF, SP, TARGET, TOKEN } from "./chars.ts";
import { parseFieldLines } from "./field-lines.ts";
import { latin1 } from "./latin1.ts";
import { Http1ParseError } from "./parse-error.ts";
import { parseVersion } from "./version.ts";

/** A parsed request line and its fields. */
export interface RequestHead {
  readonly method: string;
  /** The request-target as sent: origin-form `/p?q`, absolute-form, authority-form or `*`. */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minorVersion: 0 | 1;
  readonly headers: HeaderMap;
}

/**
 * Parses a whole request head (as HeadScanner delimited it): `method SP request-target SP
 * HTTP-version CRLF`, then the field lines. Single spaces only, as RFC 9112 §3 writes the
 * grammar: a parser that took runs of whitespace would read `GET /a HTTP/1.1 x` differently from
 * the server behind us. A version other than 1.0 and 1.1 is 505.
 */
export function parseRequestHead(bytes: Uint8Array): RequestHead | Http1ParseError {
  let at = 0;
  while (TOKEN[bytes[at]!] === 1) at++;
  if (at === 0 || bytes[at] !== SP) return new Http1ParseError(400, "malformed request line: method");
  const method = latin1(bytes, 0, at);
  const targetStart = ++at;
  while (TARGET[bytes[at]!] === 1) at++;
  if (at === targetStart || bytes[at] !== SP) return new Http1ParseError(400, "malformed request line: request-target");
  const target = latin1(bytes, targetStart, at);
  at++;
  const version = parseVersion(bytes, at);
  if (version instanceof Http1ParseError) return version;
  at += 8;
  if (bytes[at] !== CR || bytes[at + 1] !== LF) return new Http1ParseError(400, "malformed request line: HTTP version");
  const headers = new HeaderMap();
  const error = parseFieldLines(bytes, at + 2, headers);
  if (error) return error;
  return { method, target, minorVersion: version, headers };
}
