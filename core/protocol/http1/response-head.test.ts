import { assert, describe, it } from "../../../test/support/test-api.ts";
import { Http1ParseError } from "./parse-error.ts";
import { parseResponseHead, type ResponseHead } from "./response-head.ts";
import { bytes } from "./test-helpers.ts";

const parse = (s: string) => parseResponseHead(bytes(s));

describe("parseResponseHead", () => {
  it("reads version, status, reason and fields", () => {
    const r = parse(
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\n",
    ) as ResponseHead;
    assert.equal(r.minorVersion, 1);
    assert.equal(r.status, 404);
    assert.equal(r.reason, "Not Found");
    assert.deepEqual(r.headers.getAll("set-cookie"), ["a", "b"]);
  });

  it("takes an empty reason, with or without the space", () => {
    assert.equal((parse("HTTP/1.1 200 \r\n\r\n") as ResponseHead).reason, "");
    assert.equal((parse("HTTP/1.0 204\r\n\r\n") as ResponseHead).status, 204);
  });

  it("refuses malformed status lines", () => {
    for (
      const s of [
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 X\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200 O\rK\r\n\r\n",
        "HTTP/2 200\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
      ]
    ) {
      const r = parse(s);
      assert.ok(r instanceof Http1ParseError, JSON.stringify(s));
    }
  });
});
