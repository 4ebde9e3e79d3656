import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { HeadScanner, NEED_MORE } from "./head-scanner.ts";
import { DEFAULT_HTTP1_LIMITS, type Http1Limits } from "./limits.ts";
import { Http1ParseError } from "./parse-error.ts";
import { bufferOf, bytes } from "./test-helpers.ts";

const HEAD = "GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";

function statusOf(r: number | Http1ParseError): number | string {
  return r instanceof Http1ParseError ? r.status : r === NEED_MORE ? "more" : r;
}

describe("HeadScanner", () => {
  it("finds the end of a head however it is split, and not before", () => {
    for (const piece of [0, 1, 2, 3, 7, 16]) {
      const buf = new ByteBuffer();
      const s = new HeadScanner(DEFAULT_HTTP1_LIMITS, "request");
      const all = bytes(HEAD + "next");
      let found: number | Http1ParseError = NEED_MORE;
      for (let i = 0; i < all.length && found === NEED_MORE; i += piece || all.length) {
        buf.append(all.slice(i, piece ? i + piece : all.length));
        found = s.scan(buf);
      }
      assert.equal(found, HEAD.length, `pieces of ${piece}`);
    }
  });

  it("skips empty lines before a request line", () => {
    const buf = bufferOf("\r\n\r\n" + HEAD);
    assert.equal(new HeadScanner(DEFAULT_HTTP1_LIMITS, "request").scan(buf), HEAD.length);
    assert.equal(buf.length, HEAD.length, "the leading CRLFs were drained");
  });

  it("refuses a bare LF anywhere in the head", () => {
    for (
      const head of [
        "GET / HTTP/1.1\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\n",
        "\nGET / HTTP/1.1\r\n\r\n",
      ]
    ) {
      assert.equal(
        statusOf(new HeadScanner(DEFAULT_HTTP1_LIMITS, "request").scan(bufferOf(head))),
        400,
        JSON.stringify(head),
      );
    }
  });

  it("414 for a request line past its limit, even before its end arrives", () => {
    const limits: Http1Limits = { ...DEFAULT_HTTP1_LIMITS, maxRequestLineBytes: 32 };
    const long = "GET /" + "a".repeat(40);
    assert.equal(statusOf(new HeadScanner(limits, "request").scan(bufferOf(long))), 414);
    assert.equal(statusOf(new HeadScanner(limits, "request").scan(bufferOf(long + " HTTP/1.1\r\n\r\n"))), 414);
    const short = "GET /" + "a".repeat(10) + " HTTP/1.1\r\n\r\n";
    assert.equal(statusOf(new HeadScanner(limits, "request").scan(bufferOf(short))), short.length);
  });

  it("431 past the head size or the field count, and exactly at them it passes", () => {
    const head = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n";
    assert.equal(
      statusOf(
        new HeadScanner({ ...DEFAULT_HTTP1_LIMITS, maxHeaderBytes: head.length }, "request").scan(bufferOf(head)),
      ),
      head.length,
    );
    assert.equal(
      statusOf(
        new HeadScanner({ ...DEFAULT_HTTP1_LIMITS, maxHeaderBytes: head.length - 1 }, "request").scan(bufferOf(head)),
      ),
      431,
    );
    assert.equal(
      statusOf(
        new HeadScanner({ ...DEFAULT_HTTP1_LIMITS, maxHeaderBytes: 20 }, "request").scan(
          bufferOf("GET / HTTP/1.1\r\nA: " + "x".repeat(50)),
        ),
      ),
      431,
      "without waiting for the end",
    );
    assert.equal(
      statusOf(new HeadScanner({ ...DEFAULT_HTTP1_LIMITS, maxHeaderCount: 2 }, "request").scan(bufferOf(head))),
      head.length,
    );
    assert.equal(
      statusOf(new HeadScanner({ ...DEFAULT_HTTP1_LIMITS, maxHeaderCount: 1 }, "request").scan(bufferOf(head))),
      431,
    );
  });

  it("a trailer block may be empty", () => {
    assert.equal(new HeadScanner(DEFAULT_HTTP1_LIMITS, "none").scan(bufferOf("\r\nrest")), 2);
    assert.equal(new HeadScanner(DEFAULT_HTTP1_LIMITS, "none").scan(bufferOf("X: 1\r\n\r\n")), 8);
  });

  it("a slowloris head a byte at a time is scanned in linear time", () => {
    const s = new HeadScanner(DEFAULT_HTTP1_LIMITS, "request");
    const buf = new ByteBuffer();
    const head = bytes("GET / HTTP/1.1\r\n" + "X-Pad: " + "p".repeat(60_000) + "\r\n\r\n");
    let result: number | Http1ParseError = NEED_MORE;
    let reads = 0;
    const indexOf = buf.indexOf.bind(buf);
    let scannedBytes = 0;
    buf.indexOf = (byte, from = 0, to = buf.length) => {
      scannedBytes += Math.max(0, to - from);
      return indexOf(byte, from, to);
    };
    for (let i = 0; i < head.length && result === NEED_MORE; i++) {
      buf.append(head.subarray(i, i + 1));
      result = s.scan(buf);
      reads++;
    }
    assert.equal(result, head.length);
    assert.ok(scannedBytes <= 2 * head.length, `scanned ${scannedBytes} bytes for a ${head.length}-byte head`);
  });
});
