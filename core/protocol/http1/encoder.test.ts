import { assert, describe, it } from "../../../test/support/test-api.ts";
import { HeaderMap } from "../../stream/header-map.ts";
import {
  chunkHead,
  encodeLastChunkWithTrailers,
  encodeRequestHead,
  encodeResponseHead,
  LAST_CHUNK,
} from "./encoder.ts";
import { parseRequestHead, type RequestHead } from "./request-head.ts";
import { text } from "./test-helpers.ts";

function headers(...pairs: [string, string][]): HeaderMap {
  const h = new HeaderMap();
  for (const [n, v] of pairs) h.add(n, v);
  return h;
}

describe("HTTP/1 encoder", () => {
  it("writes a request head with fields as spelt, and it parses back the same", () => {
    const h = headers(["Host", "a.example"], [":authority", "a.example"], ["X-Request-ID", "7"], ["set-cookie", "a"], [
      "set-cookie",
      "b",
    ]);
    const out = encodeRequestHead("GET", "/p?q=1", h);
    assert.equal(
      text(out),
      "GET /p?q=1 HTTP/1.1\r\nHost: a.example\r\nX-Request-ID: 7\r\nset-cookie: a\r\nset-cookie: b\r\n\r\n",
    );
    const back = parseRequestHead(out) as RequestHead;
    assert.equal(back.target, "/p?q=1");
    assert.deepEqual(back.headers.getAll("set-cookie"), ["a", "b"]);
  });

  it("writes a response head; latin1 values keep their bytes", () => {
    const out = encodeResponseHead(200, "OK", headers(["Content-Length", "0"], ["X", "caf\u00e9"]));
    assert.equal(text(out), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: caf\u00e9\r\n\r\n");
    assert.equal(out[out.length - 5], 0xe9);
    assert.equal(text(encodeResponseHead(503, "", new HeaderMap(), 0)), "HTTP/1.0 503 \r\n\r\n");
  });

  it("never writes a field that would split the message", () => {
    const h = headers(["Good", "1"], ["Evil", "x\r\nSet-Cookie: pwned"], ["Bad Name", "y"], ["Nul", "a\u0000b"], [
      "Ok",
      "tab\tinside",
    ]);
    assert.equal(text(encodeResponseHead(200, "OK\r\nX: 1", h)), "HTTP/1.1 200 \r\nGood: 1\r\nOk: tab\tinside\r\n\r\n");
  });

  it("frames chunks and the last chunk, with or without trailers", () => {
    assert.equal(text(chunkHead(255)), "ff\r\n");
    assert.equal(text(chunkHead(1)), "1\r\n");
    assert.equal(text(LAST_CHUNK), "0\r\n\r\n");
    assert.equal(text(encodeLastChunkWithTrailers(headers(["Checksum", "9"]))), "0\r\nChecksum: 9\r\n\r\n");
  });
});
