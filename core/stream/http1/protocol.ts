import type { ByteBuffer } from "../../net/byte-buffer.ts";
import { TOKEN } from "../../protocol/http1/chars.ts";
import { DEFAULT_HTTP1_LIMITS, type Http1Limits } from "../../protocol/http1/limits.ts";
import type { Detection, Protocol } from "../protocol.ts";
import { Http1ClientCodec } from "./client-codec.ts";
import { Http1ServerCodec } from "./server-codec.ts";

/** The longest method a request line may start with, for detection: past it, this is not HTTP/1. */
const MAX_METHOD = 24;
const PRI = [0x50, 0x52, 0x49, 0x20]; // "PRI ": the HTTP/2 preface, which is a token and a space too

/** A request line starts with a method token and a space (RFC 9112 §3). */
function detectHttp1(buf: ByteBuffer): Detection {
  const n = Math.min(buf.length, MAX_METHOD + 1);
  for (let i = 0; i < n; i++) {
    const b = buf.uint8(i);
    if (b === 0x20) {
      if (i === 0) return "no";
      if (i === 3 && PRI.every((c, k) => buf.uint8(k) === c)) return "no";
      return "yes";
    }
    if (TOKEN[b] !== 1) return "no";
  }
  return buf.length > MAX_METHOD ? "no" : "more";
}

/** HTTP/1.1 (and 1.0) with the given limits. */
export function http1Protocol(limits: Http1Limits = DEFAULT_HTTP1_LIMITS): Protocol {
  return {
    name: "Http1",
    forwardedHeaders: true,
    detect: detectHttp1,
    createServerCodec: (connection, callbacks, _env) => new Http1ServerCodec(connection, callbacks, limits),
    createClientCodec: (connection) => new Http1ClientCodec(connection, limits),
  };
}
