import { assert, describe, it } from "../../test/support/test-api.ts";
import { normalizePath } from "./normalize-path.ts";

describe("normalizePath (RFC 3986 §6.2.2)", () => {
  it("decodes unreserved characters and upper-cases the rest, keeping %2F encoded", () => {
    assert.equal(normalizePath("/%61dmin"), "/admin");
    assert.equal(normalizePath("/a%7Eb%2dc"), "/a~b-c");
    assert.equal(normalizePath("/a%2fb"), "/a%2Fb");
    assert.equal(normalizePath("/caf%c3%a9"), "/caf%C3%A9");
  });

  it("removes dot segments (§5.2.4)", () => {
    assert.equal(normalizePath("/public/../admin"), "/admin");
    assert.equal(normalizePath("/a/./b/../c"), "/a/c");
    assert.equal(normalizePath("/../../etc/passwd"), "/etc/passwd");
    assert.equal(normalizePath("/a/b/.."), "/a/");
    assert.equal(normalizePath("/a/."), "/a/");
    assert.equal(normalizePath("/%2e%2e/admin"), "/admin", "encoded dots are dots once decoded");
  });

  it("leaves the query, '*', and already normal paths alone (the same string back)", () => {
    assert.equal(normalizePath("/a/../b?x=/../%61"), "/b?x=/../%61");
    const plain = "/already/normal?q=1";
    assert.equal(normalizePath(plain), plain);
    assert.equal(normalizePath("*"), "*");
    assert.equal(normalizePath("/.well-known/x"), "/.well-known/x");
  });

  it("refuses malformed percent-encodings", () => {
    assert.equal(normalizePath("/a%zz"), undefined);
    assert.equal(normalizePath("/a%4"), undefined);
    assert.equal(normalizePath("/a%"), undefined);
  });
});
