import type { HeaderMap } from "../../stream/header-map.ts";
import { Http1ParseError } from "./parse-error.ts";
import type { RequestHead } from "./request-head.ts";
import type { ResponseHead } from "./response-head.ts";

/** How a message's body is delimited on the wire (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: "none" }
  | { readonly kind: "length"; readonly length: number }
  | { readonly kind: "chunked" }
  /** A response read until the server closes the connection. */
  | { readonly kind: "close" };

export const NO_BODY: BodyFraming = Object.freeze({ kind: "none" });
const CHUNKED: BodyFraming = Object.freeze({ kind: "chunked" });
const UNTIL_CLOSE: BodyFraming = Object.freeze({ kind: "close" });

/** Content-Length must be digits only; past 2^53 it cannot be counted exactly. */
const MAX_LENGTH_DIGITS = 15;

/**
 * Every Content-Length value, comma lists included, as one length; 400 unless all are the same
 * 1*DIGIT (RFC 9112 §6.3 item 5: differing values, or a value that is not a number, make the
 * length unknowable). undefined when there is no Content-Length.
 */
function contentLength(headers: HeaderMap): number | undefined | Http1ParseError {
  const values = headers.getAll("content-length");
  if (values.length === 0) return undefined;
  let length: string | undefined;
  for (const value of values) {
    for (const part of value.split(",")) {
      const v = part.trim();
      if (!/^\d+$/.test(v) || v.replace(/^0+(?=\d)/, "").length > MAX_LENGTH_DIGITS) {
        return new Http1ParseError(400, `invalid Content-Length ${JSON.stringify(value)}`);
      }
      if (length !== undefined && Number(v) !== Number(length)) {
        return new Http1ParseError(400, "conflicting Content-Length values");
      }
      length = v;
    }
  }
  return Number(length);
}

/** The transfer codings named by every Transfer-Encoding field, lower case, in order. */
function transferCodings(headers: HeaderMap): string[] | undefined {
  const values = headers.getAll("transfer-encoding");
  if (values.length === 0) return undefined;
  const codings: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const c = part.trim().toLowerCase();
      if (c !== "") codings.push(c); // empty list elements are allowed and mean nothing (RFC 9110 §5.6.1)
    }
  }
  return codings;
}

/**
 * How a request's body is framed. Refused, as a proxy in front of servers that may read the
 * framing differently must refuse them (RFC 9112 §6.1, §6.3):
 * - Transfer-Encoding together with Content-Length (400), or in an HTTP/1.0 request (400);
 * - a Transfer-Encoding whose last coding is not chunked (400), or that names another coding
 *   (501, as RFC 9112 §6.1 says a server SHOULD answer a coding it does not understand: the
 *   proxy decodes no content coding, and hop-by-hop framing would drop the label that says how
 *   the body is coded, so the next hop would take gzip bytes for the payload);
 * - an invalid or conflicting Content-Length (400).
 */
export function requestFraming(head: RequestHead): BodyFraming | Http1ParseError {
  const codings = transferCodings(head.headers);
  const length = contentLength(head.headers);
  if (length instanceof Http1ParseError) return length;
  if (codings !== undefined) {
    if (length !== undefined || head.headers.has("content-length")) {
      return new Http1ParseError(400, "both Transfer-Encoding and Content-Length");
    }
    if (head.minorVersion === 0) return new Http1ParseError(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (codings[codings.length - 1] !== "chunked") {
      return new Http1ParseError(400, "Transfer-Encoding does not end in chunked");
    }
    if (codings.length > 1) {
      return new Http1ParseError(
        501,
        `transfer coding ${JSON.stringify(codings.slice(0, -1).join(", "))} is not supported, only chunked`,
      );
    }
    return CHUNKED;
  }
  if (length === undefined || length === 0) return NO_BODY;
  return { kind: "length", length };
}

/**
 * How a response's body is framed, given the method of the request it answers (RFC 9112 §6.3):
 * none after HEAD, for 1xx, 204 and 304, and for a 2xx to CONNECT (the connection becomes a
 * tunnel); chunked; Content-Length; else until the server closes. Refused (the proxy answers
 * 502): Transfer-Encoding with Content-Length (§6.3 item 3 calls it a likely smuggling attempt),
 * any transfer coding other than a lone chunked, invalid or conflicting lengths. A coding such as
 * gzip (with or without chunked after it) is refused rather than relayed: Transfer-Encoding is
 * hop-by-hop and each hop frames the body itself, so passing the bytes on would strip the only
 * label saying they are gzip, and an HTTP/1.0 client could not be told at all.
 */
export function responseFraming(head: ResponseHead, requestMethod: string): BodyFraming | Http1ParseError {
  const s = head.status;
  if (requestMethod === "HEAD" || s < 200 || s === 204 || s === 304 || (requestMethod === "CONNECT" && s < 300)) {
    return NO_BODY;
  }
  const codings = transferCodings(head.headers);
  const length = contentLength(head.headers);
  if (length instanceof Http1ParseError) return length;
  if (codings !== undefined) {
    if (head.headers.has("content-length")) {
      return new Http1ParseError(400, "both Transfer-Encoding and Content-Length");
    }
    if (codings.length === 1 && codings[0] === "chunked") return CHUNKED;
    if (codings.length > 1 && codings.slice(0, -1).includes("chunked")) {
      return new Http1ParseError(400, "chunked applied before another coding");
    }
    return new Http1ParseError(
      400,
      `transfer coding ${JSON.stringify(codings.join(", "))} is not supported, only chunked`,
    );
  }
  if (length !== undefined) return length === 0 ? NO_BODY : { kind: "length", length };
  return UNTIL_CLOSE;
}
