import type { ByteBuffer } from "../../net/byte-buffer.ts";
import { HeaderMap } from "../../stream/header-map.ts";
import { BODY_DONE, BODY_MORE, type BodyProgress, type BodySink } from "./body-sink.ts";
import { CR, FIELD_VALUE, HTAB, LF, SP } from "./chars.ts";
import { parseFieldLines } from "./field-lines.ts";
import { HeadScanner, NEED_MORE } from "./head-scanner.ts";
import type { Http1Limits } from "./limits.ts";
import { Http1ParseError } from "./parse-error.ts";

const State = { Size: 0, Data: 1, DataEnd: 2, Trailers: 3, Done: 4 } as const;
type State = (typeof State)[keyof typeof State];

/** 13 hex digits are 2^52: a chunk size past that cannot be counted exactly. */
const MAX_SIZE_DIGITS = 13;

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/**
 * A chunked body (RFC 9112 §7.1), decoded incrementally: chunk data is handed over as views into
 * the read buffer (never copied), extensions are checked and dropped, trailer fields are parsed
 * as header fields. Refused with 400: a size that is not hex or too large, a size line past
 * `maxChunkLineBytes`, a bare CR or LF anywhere in the framing, data not followed by CRLF.
 */
export class ChunkedDecoder {
  private state: State = State.Size;
  private remaining = 0;
  private scanned = 0;
  private readonly views: Uint8Array[] = [];
  private readonly trailerScanner: HeadScanner;

  constructor(private readonly limits: Http1Limits) {
    this.trailerScanner = new HeadScanner(limits, "none");
  }

  decode(buf: ByteBuffer, sink: BodySink): BodyProgress | Http1ParseError {
    for (;;) {
      switch (this.state) {
        case State.Size: {
          const r = this.readSizeLine(buf);
          if (r !== undefined) return r;
          break;
        }
        case State.Data: {
          const n = Math.min(buf.length, this.remaining);
          if (n === 0) return BODY_MORE;
          buf.takeChunks(n, this.views);
          this.remaining -= n;
          for (let i = 0; i < this.views.length; i++) sink.onBodyData(this.views[i]!);
          this.views.length = 0;
          if (this.remaining === 0) this.state = State.DataEnd;
          break;
        }
        case State.DataEnd: {
          if (buf.length < 2) return BODY_MORE;
          if (buf.uint8(0) !== CR || buf.uint8(1) !== LF) {
            return new Http1ParseError(400, "chunk data not followed by CRLF");
          }
          buf.drain(2);
          this.state = State.Size;
          break;
        }
        case State.Trailers: {
          const length = this.trailerScanner.scan(buf);
          if (length instanceof Http1ParseError) return length;
          if (length === NEED_MORE) return BODY_MORE;
          const block = buf.take(length);
          if (length > 2) {
            const trailers = new HeaderMap();
            const error = parseFieldLines(block, 0, trailers);
            if (error) return error;
            sink.onTrailers(trailers);
          }
          this.state = State.Done;
          return BODY_DONE;
        }
        case State.Done:
          return BODY_DONE;
      }
    }
  }

  /** Consumes one `chunk-size [chunk-ext] CRLF` line; undefined when it moved on. */
  private readSizeLine(buf: ByteBuffer): BodyProgress | Http1ParseError | undefined {
    const max = this.limits.maxChunkLineBytes;
    const lf = buf.indexOf(LF, this.scanned, Math.min(buf.length, max));
    if (lf < 0) {
      this.scanned = Math.min(buf.length, max);
      return buf.length >= max ? new Http1ParseError(400, "chunk size line too long") : BODY_MORE;
    }
    this.scanned = 0;
    const line = buf.take(lf + 1);
    let at = 0;
    while (line[at] === 0x30) at++; // leading zeros say nothing and must not count as digits
    let size = 0;
    let digits = 0;
    for (let v = hexValue(line[at]!); v >= 0; v = hexValue(line[++at]!)) {
      size = size * 16 + v;
      digits++;
    }
    if (at === 0) return new Http1ParseError(400, "invalid chunk size");
    if (digits > MAX_SIZE_DIGITS) return new Http1ParseError(400, "chunk size too large");
    // chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ): checked for stray bytes, then dropped.
    while (line[at] === SP || line[at] === HTAB) at++;
    if (line[at] === 0x3b) {
      while (FIELD_VALUE[line[at]!] === 1) at++;
    }
    if (line[at] !== CR || at !== lf - 1) return new Http1ParseError(400, "invalid chunk size line");
    if (size === 0) {
      this.state = State.Trailers;
    } else {
      this.remaining = size;
      this.state = State.Data;
    }
    return undefined;
  }
}
