import { HeaderMap } from "../../stream/header-map.ts";
import { CR, LF, REASON, SP } from "./chars.ts";
import { parseFieldLines } from "./field-lines.ts";
import { latin1 } from "./latin1.ts";
import { Http1ParseError } from "./parse-error.ts";
import { parseVersion } from "./version.ts";

/** A parsed status line and its fields. */
export interface ResponseHead {
  readonly minorVersion: 0 | 1;
  /** 100-999. */
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderMap;
}

const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;

/**
 * Parses a whole response head: `HTTP-version SP status-code SP [reason-phrase] CRLF`, then the
 * field lines (RFC 9112 §4). A status line that ends right after the code (no SP, no reason) is
 * taken too: servers send it, and it cannot be misread.
 */
export function parseResponseHead(bytes: Uint8Array): ResponseHead | Http1ParseError {
  const version = parseVersion(bytes, 0);
  if (version instanceof Http1ParseError) return version;
  let at = 8;
  if (bytes[at] !== SP || !isDigit(bytes[at + 1]) || !isDigit(bytes[at + 2]) || !isDigit(bytes[at + 3])) {
    return new Http1ParseError(400, "malformed status line");
  }
  const status = (bytes[at + 1]! - 0x30) * 100 + (bytes[at + 2]! - 0x30) * 10 + (bytes[at + 3]! - 0x30);
  if (status < 100) return new Http1ParseError(400, "malformed status line: status code below 100");
  at += 4;
  let reason = "";
  if (bytes[at] === SP) {
    const start = ++at;
    while (REASON[bytes[at]!] === 1) at++;
    reason = latin1(bytes, start, at);
  }
  if (bytes[at] !== CR || bytes[at + 1] !== LF) return new Http1ParseError(400, "malformed status line");
  const headers = new HeaderMap();
  const error = parseFieldLines(bytes, at + 2, headers);
  if (error) return error;
  return { minorVersion: version, status, reason, headers };
}
