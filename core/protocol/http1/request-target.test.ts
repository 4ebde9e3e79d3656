import { assert, describe, it } from "../../../test/support/test-api.ts";
import { Http1ParseError } from "./parse-error.ts";
import { isValidAuthority, splitRequestTarget } from "./request-target.ts";

describe("splitRequestTarget", () => {
  it("takes the four forms where they belong", () => {
    assert.deepEqual(splitRequestTarget("GET", "/a/b?c=d"), {
      scheme: undefined,
      authority: undefined,
      path: "/a/b?c=d",
    });
    assert.deepEqual(splitRequestTarget("GET", "http://A.example:8080/x?y"), {
      scheme: "http",
      authority: "A.example:8080",
      path: "/x?y",
    });
    assert.deepEqual(splitRequestTarget("GET", "HTTPS://a.example"), {
      scheme: "https",
      authority: "a.example",
      path: "/",
    });
    assert.deepEqual(splitRequestTarget("GET", "http://a.example?q"), {
      scheme: "http",
      authority: "a.example",
      path: "/?q",
    });
    assert.deepEqual(splitRequestTarget("CONNECT", "a.example:443"), {
      scheme: undefined,
      authority: "a.example:443",
      path: undefined,
    });
    assert.deepEqual(splitRequestTarget("CONNECT", "[::1]:443"), {
      scheme: undefined,
      authority: "[::1]:443",
      path: undefined,
    });
    assert.deepEqual(splitRequestTarget("OPTIONS", "*"), { scheme: undefined, authority: undefined, path: "*" });
  });

  it("refuses targets two parsers could read differently", () => {
    for (
      const [method, target] of [
        ["GET", "*"],
        ["CONNECT", "/path"],
        ["CONNECT", "a.example"],
        ["GET", "a.example:80"],
        ["GET", "ftp://a.example/"],
        ["GET", "http://user@evil.example/"],
        ["GET", "http://a.example\\@evil/"],
        ["GET", "http:///nohost"],
        ["GET", "http://a.example#frag/"],
      ]
    ) {
      assert.ok(splitRequestTarget(method!, target!) instanceof Http1ParseError, `${method} ${target}`);
    }
  });

  it("checks Host values the same way", () => {
    assert.ok(isValidAuthority("a.example"));
    assert.ok(isValidAuthority("a.example:8080"));
    assert.ok(isValidAuthority("127.0.0.1:2045"));
    assert.ok(!isValidAuthority(""));
    assert.ok(!isValidAuthority("a.example/x"));
    assert.ok(!isValidAuthority("u@a.example"));
    assert.ok(!isValidAuthority("a b"));
  });
});
