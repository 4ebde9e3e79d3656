import { assert, describe, it } from "../../../test/support/test-api.ts";
import { type BodyFraming, requestFraming, responseFraming } from "./framing.ts";
import { Http1ParseError } from "./parse-error.ts";
import { parseRequestHead, type RequestHead } from "./request-head.ts";
import { parseResponseHead, type ResponseHead } from "./response-head.ts";
import { bytes } from "./test-helpers.ts";

function request(fields: string, version = "1.1"): BodyFraming | number {
  const head = parseRequestHead(bytes(`POST / HTTP/${version}\r\n${fields}\r\n`)) as RequestHead;
  const r = requestFraming(head);
  return r instanceof Http1ParseError ? r.status : r;
}

function response(status: string, fields: string, method = "GET"): BodyFraming | number {
  const head = parseResponseHead(bytes(`HTTP/1.1 ${status}\r\n${fields}\r\n`)) as ResponseHead;
  const r = responseFraming(head, method);
  return r instanceof Http1ParseError ? r.status : r;
}

describe("request framing (RFC 9112 §6.3)", () => {
  it("Content-Length, chunked, or no body", () => {
    assert.deepEqual(request("Content-Length: 5\r\n"), { kind: "length", length: 5 });
    assert.deepEqual(request("Content-Length: 0\r\n"), { kind: "none" });
    assert.deepEqual(request(""), { kind: "none" });
    assert.deepEqual(request("Transfer-Encoding: chunked\r\n"), { kind: "chunked" });
    assert.deepEqual(request("Transfer-Encoding: Chunked \r\n"), { kind: "chunked" });
    assert.deepEqual(
      request("Transfer-Encoding: ,chunked\r\n"),
      { kind: "chunked" },
      "empty list elements mean nothing",
    );
  });

  it("the same length repeated is one length", () => {
    assert.deepEqual(request("Content-Length: 7\r\nContent-Length: 7\r\n"), { kind: "length", length: 7 });
    assert.deepEqual(request("Content-Length: 7, 007\r\n"), { kind: "length", length: 7 });
  });

  it("refuses the smuggling shapes", () => {
    assert.equal(request("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400, "CL and TE");
    assert.equal(request("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400, "TE and CL");
    assert.equal(request("Content-Length: 5\r\nContent-Length: 6\r\n"), 400, "conflicting lengths");
    assert.equal(request("Content-Length: 5, 6\r\n"), 400);
    assert.equal(request("Content-Length: +5\r\n"), 400);
    assert.equal(request("Content-Length: 0x5\r\n"), 400);
    assert.equal(request("Content-Length: 5 5\r\n"), 400);
    assert.equal(request("Content-Length:\r\n"), 400);
    assert.equal(request("Content-Length: 9999999999999999\r\n"), 400, "past 2^53");
    assert.equal(request("Transfer-Encoding: chunked, identity\r\n"), 400, "chunked not last");
    assert.equal(request("Transfer-Encoding: identity\r\n"), 400);
    assert.equal(
      request("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"),
      400,
      "chunked not last across fields",
    );
    assert.equal(request("Transfer-Encoding: gzip, chunked\r\n"), 501);
    assert.equal(request("Transfer-Encoding: chunked\r\n", "1.0"), 400, "TE in HTTP/1.0");
  });
});

describe("response framing (RFC 9112 §6.3)", () => {
  it("no body after HEAD, for 1xx, 204, 304 and a 2xx to CONNECT, whatever the fields say", () => {
    assert.deepEqual(response("200 OK", "Content-Length: 10\r\n", "HEAD"), { kind: "none" });
    assert.deepEqual(response("204 No Content", "Content-Length: 10\r\n"), { kind: "none" });
    assert.deepEqual(response("304 Not Modified", "Transfer-Encoding: chunked\r\n"), { kind: "none" });
    assert.deepEqual(response("101 Switching Protocols", ""), { kind: "none" });
    assert.deepEqual(response("200 Connection established", "", "CONNECT"), { kind: "none" });
    assert.deepEqual(response("407 Auth", "Content-Length: 3\r\n", "CONNECT"), { kind: "length", length: 3 });
  });

  it("chunked, length, or until close", () => {
    assert.deepEqual(response("200 OK", "Transfer-Encoding: chunked\r\n"), { kind: "chunked" });
    assert.deepEqual(response("200 OK", "Content-Length: 3\r\n"), { kind: "length", length: 3 });
    assert.deepEqual(response("200 OK", ""), { kind: "close" });
  });

  it("refuses TE with CL and lengths that disagree", () => {
    assert.equal(response("200 OK", "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n"), 400);
    assert.equal(response("200 OK", "Content-Length: 3\r\nContent-Length: 4\r\n"), 400);
    assert.equal(response("200 OK", "Transfer-Encoding: chunked, gzip\r\n"), 400);
  });

  it("refuses a transfer coding other than a lone chunked: relayed, the body would lose its label", () => {
    assert.equal(response("200 OK", "Transfer-Encoding: gzip\r\n"), 400, "gzip until close");
    assert.equal(response("200 OK", "Transfer-Encoding: gzip, chunked\r\n"), 400);
    assert.equal(response("200 OK", "Transfer-Encoding: identity\r\n"), 400);
  });
});
