import type { ByteBuffer } from "../../net/byte-buffer.ts";
import { CR, LF } from "./chars.ts";
import type { Http1Limits } from "./limits.ts";
import { Http1ParseError } from "./parse-error.ts";

/** `scan` found no complete head yet. */
export const NEED_MORE = -1;

/** What precedes the field lines of a block: a request line, a status line, or nothing (trailers). */
export type StartLine = "request" | "response" | "none";

/**
 * Finds where a head (start line plus field lines plus the empty line) ends in a ByteBuffer,
 * incrementally: bytes already searched are never searched again, so a head that trickles in a
 * byte at a time costs linear time, not quadratic. Enforces the line-ending and size rules that
 * must hold before anything is parsed:
 * - every line ends in CRLF; a bare LF is refused (400), as it lets two parsers disagree on where
 *   a field ends (RFC 9112 §2.2 allows the leniency; a proxy must not take it);
 * - the request line fits `maxRequestLineBytes` (414), the head `maxHeaderBytes` (431), and it
 *   has at most `maxHeaderCount` field lines (431);
 * - empty lines before a request line are skipped (RFC 9112 §2.2), and drained.
 */
export class HeadScanner {
  private scanned = 0;
  private lineStart = 0;
  private lines = 0;

  constructor(private readonly limits: Http1Limits, private readonly startLine: StartLine) {}

  /** Forgets a partial scan, for the next message on the connection. */
  reset(): void {
    this.scanned = 0;
    this.lineStart = 0;
    this.lines = 0;
  }

  /**
   * Returns the head's length in bytes (through the empty line's LF) once it is all in `buf`,
   * NEED_MORE, or the error to answer. On success the scanner is reset for the next head.
   */
  scan(buf: ByteBuffer): number | Http1ParseError {
    const { maxHeaderBytes, maxRequestLineBytes, maxHeaderCount } = this.limits;
    for (;;) {
      const lf = buf.indexOf(LF, this.scanned, Math.min(buf.length, maxHeaderBytes));
      if (lf < 0) {
        this.scanned = Math.min(buf.length, maxHeaderBytes);
        if (this.startLine === "request" && this.lines === 0 && buf.length - this.lineStart > maxRequestLineBytes) {
          return new Http1ParseError(414, "request line too long");
        }
        if (buf.length >= maxHeaderBytes) return new Http1ParseError(431, "header section too large");
        return NEED_MORE;
      }
      if (lf === this.lineStart || buf.uint8(lf - 1) !== CR) return new Http1ParseError(400, "line ends in a bare LF");
      const empty = lf === this.lineStart + 1;
      if (empty && this.lines === 0 && this.startLine === "request") {
        // CRLF before a request line: left over from a previous message's body, skipped.
        buf.drain(lf + 1);
        this.scanned = this.lineStart = 0;
        continue;
      }
      if (empty && (this.lines > 0 || this.startLine === "none")) {
        const length = lf + 1;
        this.reset();
        return length;
      }
      if (this.startLine === "request" && this.lines === 0 && lf + 1 > maxRequestLineBytes) {
        return new Http1ParseError(414, "request line too long");
      }
      this.lines++;
      const fieldLines = this.startLine === "none" ? this.lines : this.lines - 1;
      if (fieldLines > maxHeaderCount) return new Http1ParseError(431, `more than ${maxHeaderCount} header fields`);
      this.lineStart = this.scanned = lf + 1;
    }
  }
}
