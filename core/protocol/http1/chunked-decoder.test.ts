import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import type { HeaderMap } from "../../stream/header-map.ts";
import { BODY_DONE, BODY_MORE, type BodySink } from "./body-sink.ts";
import { ChunkedDecoder } from "./chunked-decoder.ts";
import { LengthDecoder } from "./length-decoder.ts";
import { DEFAULT_HTTP1_LIMITS } from "./limits.ts";
import { Http1ParseError } from "./parse-error.ts";
import { bufferOf, bytes, text } from "./test-helpers.ts";

class Collect implements BodySink {
  data = "";
  pieces: Uint8Array[] = [];
  trailers: HeaderMap | undefined;
  onBodyData(chunk: Uint8Array): void {
    this.pieces.push(chunk);
    this.data += text(chunk);
  }
  onTrailers(t: HeaderMap): void {
    this.trailers = t;
  }
}

/** Feeds `wire` in pieces; returns the sink, the last result and what is left in the buffer. */
function decodeChunked(wire: string, piece = 0) {
  const d = new ChunkedDecoder(DEFAULT_HTTP1_LIMITS);
  const sink = new Collect();
  const buf = new ByteBuffer();
  const all = bytes(wire);
  let result: number | Http1ParseError = BODY_MORE;
  const step = piece || all.length;
  for (let i = 0; i < all.length && result === BODY_MORE; i += step) {
    buf.append(all.slice(i, i + step));
    result = d.decode(buf, sink);
  }
  return { sink, result, rest: buf.length ? text(buf.slice(0, buf.length)) : "" };
}

describe("ChunkedDecoder", () => {
  it("decodes chunks, extensions dropped, however the bytes are split, and stops at the body's end", () => {
    const wire = "5\r\nhello\r\n6;name=val;x\r\n world\r\n000\r\n\r\nGET /next";
    for (const piece of [0, 1, 2, 5, 9]) {
      const { sink, result, rest } = decodeChunked(wire, piece);
      assert.equal(result, BODY_DONE, `pieces of ${piece}`);
      assert.equal(sink.data, "hello world");
      assert.equal(sink.trailers, undefined);
      assert.equal(rest, piece === 0 ? "GET /next" : rest, "the next message stays in the buffer");
    }
  });

  it("hands data over as views of the received chunk", () => {
    const buf = new ByteBuffer();
    const data = "0123456789".repeat(100);
    const wire = bytes(`${data.length.toString(16)}\r\n${data}\r\n0\r\n\r\n`);
    buf.append(wire);
    const sink = new Collect();
    assert.equal(new ChunkedDecoder(DEFAULT_HTTP1_LIMITS).decode(buf, sink), BODY_DONE);
    assert.equal(sink.pieces.length, 1);
    assert.equal(sink.data, data);
    assert.equal(sink.pieces[0]!.buffer, wire.buffer, "not copied");
  });

  it("parses trailer fields", () => {
    const { sink, result } = decodeChunked("3\r\nabc\r\n0\r\nChecksum: 42\r\nX-T: y\r\n\r\n", 4);
    assert.equal(result, BODY_DONE);
    assert.equal(sink.data, "abc");
    assert.equal(sink.trailers?.get("checksum"), "42");
    assert.equal(sink.trailers?.get("x-t"), "y");
  });

  it("refuses broken framing with 400", () => {
    const bad = [
      "g\r\nxx\r\n0\r\n\r\n", // not hex
      "\r\nxx\r\n", // no size
      "-1\r\n", // sign
      "3 \r\nabc\r\n", // trailing space without extension... BWS then CR is allowed? see below
      "3\nabc\r\n", // bare LF
      "3\rx\nabc\r\n", // bare CR
      "3\r\nabcX\r\n0\r\n\r\n", // data longer than its size
      "3\r\nab", // (short: not an error, just more) — filtered out below
      "10000000000000\r\n", // 14 hex digits
      "3\r\nabc\r\n0\r\nBad Field: x\r\n\r\n", // trailer with space in name
    ];
    const results = bad.map((w) => decodeChunked(w).result);
    assert.equal(results[0] instanceof Http1ParseError && results[0].status, 400);
    assert.equal(results[1] instanceof Http1ParseError && results[1].status, 400);
    assert.equal(results[2] instanceof Http1ParseError && results[2].status, 400);
    assert.equal(results[3], BODY_MORE, "BWS before the end of the size line is allowed (RFC 9112 §7.1.1)");
    assert.equal(results[4] instanceof Http1ParseError && results[4].status, 400);
    assert.equal(results[5] instanceof Http1ParseError && results[5].status, 400);
    assert.equal(results[6] instanceof Http1ParseError && results[6].status, 400);
    assert.equal(results[7], BODY_MORE);
    assert.equal(results[8] instanceof Http1ParseError && results[8].status, 400);
    assert.equal(results[9] instanceof Http1ParseError && results[9].status, 400);
  });

  it("400 for a size line past the limit, without waiting for its end", () => {
    const d = new ChunkedDecoder({ ...DEFAULT_HTTP1_LIMITS, maxChunkLineBytes: 16 });
    const r = d.decode(bufferOf("5;" + "e".repeat(30)), new Collect());
    assert.ok(r instanceof Http1ParseError && r.status === 400);
  });
});

describe("LengthDecoder", () => {
  it("hands over exactly the length, as views, and leaves the rest", () => {
    const buf = bufferOf("abcdefgh", 3);
    const d = new LengthDecoder(5);
    const sink = new Collect();
    assert.equal(d.decode(buf, sink), BODY_DONE);
    assert.equal(sink.data, "abcde");
    assert.equal(text(buf.slice(0, buf.length)), "fgh");
    const d2 = new LengthDecoder(10);
    const sink2 = new Collect();
    assert.equal(d2.decode(bufferOf("abc"), sink2), BODY_MORE);
    assert.equal(sink2.data, "abc");
  });
});
