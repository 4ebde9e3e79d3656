import { Http1ParseError } from "./parse-error.ts";

const PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f, -1, 0x2e, -1]; // "HTTP/" DIGIT "." DIGIT

/**
 * Reads the 8-byte HTTP-version at `at` (RFC 9112 §2.3): 0 for HTTP/1.0, 1 for HTTP/1.1, 505 for
 * any other well-formed version (HTTP/2.0 sent over HTTP/1 framing, HTTP/0.9), 400 otherwise.
 */
export function parseVersion(bytes: Uint8Array, at: number): 0 | 1 | Http1ParseError {
  for (let i = 0; i < 8; i++) {
    const b = bytes[at + i];
    if (b === undefined) return new Http1ParseError(400, "malformed HTTP version");
    if (PREFIX[i] === -1 ? b < 0x30 || b > 0x39 : b !== PREFIX[i]) {
      return new Http1ParseError(400, "malformed HTTP version");
    }
  }
  const major = bytes[at + 5]! - 0x30;
  const minor = bytes[at + 7]! - 0x30;
  if (major !== 1 || minor > 1) return new Http1ParseError(505, `HTTP/${major}.${minor} is not supported`);
  return minor as 0 | 1;
}
