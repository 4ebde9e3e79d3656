import type { HeaderMap } from "../../stream/header-map.ts";
import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TOKEN } from "./chars.ts";
import { latin1 } from "./latin1.ts";
import { Http1ParseError } from "./parse-error.ts";

/**
 * Parses the field lines of a head from `from` to the empty line into `into`, each line
 * `name ":" OWS value OWS CRLF` (RFC 9112 §5). Refused with 400, as RFC 9112 requires or as
 * smuggling defences do:
 * - whitespace between the name and the colon (§5.1: MUST be rejected);
 * - a line starting with SP or HTAB (obs-fold, §5.2);
 * - a name that is not a token, a value byte that is a CTL (a bare CR among them) or DEL.
 * `bytes` is a whole head as HeadScanner delimited it, so every line ends in CRLF.
 */
export function parseFieldLines(bytes: Uint8Array, from: number, into: HeaderMap): Http1ParseError | undefined {
  let at = from;
  for (;;) {
    if (bytes[at] === CR) return undefined; // the empty line
    const first = bytes[at]!;
    if (first === SP || first === HTAB) return new Http1ParseError(400, "obsolete line folding in a header field");
    const nameStart = at;
    while (TOKEN[bytes[at]!] === 1) at++;
    if (at === nameStart) return new Http1ParseError(400, "header field name is not a token");
    if (bytes[at] !== COLON) {
      return new Http1ParseError(
        400,
        bytes[at] === SP || bytes[at] === HTAB
          ? "whitespace before the colon of a header field"
          : "header field name is not a token",
      );
    }
    const nameEnd = at++;
    while (bytes[at] === SP || bytes[at] === HTAB) at++;
    const valueStart = at;
    while (FIELD_VALUE[bytes[at]!] === 1) at++;
    if (bytes[at] !== CR || bytes[at + 1] !== LF) {
      return new Http1ParseError(400, "invalid character in a header field value");
    }
    let valueEnd = at;
    while (valueEnd > valueStart && (bytes[valueEnd - 1] === SP || bytes[valueEnd - 1] === HTAB)) valueEnd--;
    into.add(latin1(bytes, nameStart, nameEnd), latin1(bytes, valueStart, valueEnd));
    at += 2;
  }
}
