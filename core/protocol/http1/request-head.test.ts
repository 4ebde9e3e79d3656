import { assert, describe, it } from "../../../test/support/test-api.ts";
import { Http1ParseError } from "./parse-error.ts";
import { parseRequestHead, type RequestHead } from "./request-head.ts";
import { bytes } from "./test-helpers.ts";

function parse(head: string): RequestHead | Http1ParseError {
  return parseRequestHead(bytes(head));
}

function fields(h: RequestHead): string[] {
  const out: string[] = [];
  h.headers.forEach((_n, v, s) => out.push(`${s}: ${v}`));
  return out;
}

function refused(head: string): number {
  const r = parse(head);
  assert.ok(r instanceof Http1ParseError, `should be refused: ${JSON.stringify(head)}`);
  return r.status;
}

describe("parseRequestHead", () => {
  it("reads method, target, version and fields in order, repeats kept, OWS trimmed", () => {
    const r = parse("POST /upload?x=1 HTTP/1.1\r\nHost: example.com\r\nX-A:  one \t\r\nx-a: two\r\nEmpty:\r\n\r\n");
    assert.ok(!(r instanceof Http1ParseError));
    assert.equal(r.method, "POST");
    assert.equal(r.target, "/upload?x=1");
    assert.equal(r.minorVersion, 1);
    assert.deepEqual(fields(r), ["Host: example.com", "X-A: one", "x-a: two", "Empty: "]);
    assert.deepEqual(r.headers.getAll("x-a"), ["one", "two"]);
  });

  it("takes HTTP/1.0, absolute-form, authority-form and asterisk targets", () => {
    const r10 = parse("GET / HTTP/1.0\r\n\r\n") as RequestHead;
    assert.equal(r10.minorVersion, 0);
    assert.equal((parse("GET http://a.example/p HTTP/1.1\r\n\r\n") as RequestHead).target, "http://a.example/p");
    assert.equal((parse("CONNECT a.example:443 HTTP/1.1\r\n\r\n") as RequestHead).target, "a.example:443");
    assert.equal((parse("OPTIONS * HTTP/1.1\r\n\r\n") as RequestHead).target, "*");
  });

  it("keeps obs-text in values byte for byte", () => {
    const r = parseRequestHead(
      Uint8Array.from([...bytes("GET / HTTP/1.1\r\nX: caf"), 0xe9, ...bytes("\r\n\r\n")]),
    ) as RequestHead;
    assert.equal(r.headers.get("x"), "caf\u00e9");
  });

  it("505 for other HTTP versions, 400 for garbage versions", () => {
    assert.equal(refused("GET / HTTP/2.0\r\n\r\n"), 505);
    assert.equal(refused("GET / HTTP/1.2\r\n\r\n"), 505);
    assert.equal(refused("GET / HTTP/0.9\r\n\r\n"), 505);
    assert.equal(refused("GET / HTTP/1.1x\r\n\r\n"), 400);
    assert.equal(refused("GET / http/1.1\r\n\r\n"), 400);
    assert.equal(refused("GET / HTTP/11\r\n\r\n"), 400);
    assert.equal(refused("GET /\r\n\r\n"), 400);
  });

  it("refuses what smuggling is made of (400)", () => {
    const cases = [
      "GET  / HTTP/1.1\r\n\r\n", // two spaces
      "GET /\t HTTP/1.1\r\n\r\n", // tab in target
      "GET / HTTP/1.1 \r\n\r\n", // trailing space after version
      "G(T / HTTP/1.1\r\n\r\n", // method not a token
      " GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : x\r\n\r\n", // whitespace before colon
      "GET / HTTP/1.1\r\nHost\t: x\r\n\r\n",
      "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", // obs-fold
      "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", // bare CR in a value
      "GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n", // NUL in a value
      "GET / HTTP/1.1\r\nX: a\u007fb\r\n\r\n", // DEL
      "GET / HTTP/1.1\r\nX-\u00e9: a\r\n\r\n", // non-token name
      "GET / HTTP/1.1\r\n: a\r\n\r\n", // empty name
      "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
      "GET /a\u0001b HTTP/1.1\r\n\r\n", // CTL in target
    ];
    for (const c of cases) assert.equal(refused(c), 400, JSON.stringify(c));
  });
});
