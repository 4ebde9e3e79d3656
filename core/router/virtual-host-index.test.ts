import { assert, describe, it } from "../../test/support/test-api.ts";
import { type Domain, parseDomain, splitHostPort } from "./domain.ts";
import { VirtualHostIndex } from "./virtual-host-index.ts";

function domain(raw: string): Domain {
  const d = parseDomain(raw);
  if (typeof d === "string") assert.fail(d);
  return d;
}

function indexOf(domains: [string, string][]): VirtualHostIndex<string> {
  const index = new VirtualHostIndex<string>();
  for (const [d, name] of domains) assert.equal(index.add(domain(d), name), undefined, d);
  return index;
}

describe("parseDomain", () => {
  it("reads each kind, lower-cased, with its port", () => {
    assert.deepEqual(domain("WWW.Example.com"), { kind: "exact", text: "www.example.com", port: undefined });
    assert.deepEqual(domain("a.com:8080"), { kind: "exact", text: "a.com", port: "8080" });
    assert.deepEqual(domain("a.com:*"), { kind: "exact", text: "a.com", port: "*" });
    assert.deepEqual(domain("*.a.com"), { kind: "suffix", text: ".a.com", port: undefined });
    assert.deepEqual(domain("*-bar.a.com:80"), { kind: "suffix", text: "-bar.a.com", port: "80" });
    assert.deepEqual(domain("www.a.*"), { kind: "prefix", text: "www.a.", port: undefined });
    assert.deepEqual(domain("*"), { kind: "default", text: "", port: undefined });
    assert.deepEqual(domain("*:*"), { kind: "default", text: "", port: undefined });
    assert.deepEqual(domain("*:8080"), { kind: "suffix", text: "", port: "8080" });
    assert.deepEqual(domain("[::1]"), { kind: "exact", text: "[::1]", port: undefined });
    assert.deepEqual(domain("[::1]:80"), { kind: "exact", text: "[::1]", port: "80" });
  });

  it("refuses what could never equal an authority", () => {
    assert.equal(parseDomain(""), "a domain must not be empty");
    assert.match(parseDomain("a b") as string, /is not a host name/);
    assert.match(parseDomain("a.com/x") as string, /is not a host name/);
    assert.match(parseDomain("a.com:0") as string, /port must be a number 1-65535 or \*/);
    assert.match(parseDomain("a.com:http") as string, /port/);
    assert.match(parseDomain(":80") as string, /host is missing/);
    assert.match(parseDomain("*.a.*") as string, /only one \*/);
    assert.match(parseDomain("a.*.com") as string, /must begin or end/);
  });

  it("finds the port after the last colon outside brackets", () => {
    assert.deepEqual(["a", "a:1", "[::1]", "[::1]:2", "::1"].map(splitHostPort), [1, 1, 5, 5, 3]);
  });
});

describe("VirtualHostIndex", () => {
  it("prefers exact, then the longest suffix wildcard, then the longest prefix wildcard, then *", () => {
    const index = indexOf([
      ["*", "default"],
      ["www.a.com", "exact"],
      ["*.a.com", "suffix-short"],
      ["*.www.a.com", "suffix-long"],
      ["www.*", "prefix-short"],
      ["www.b.*", "prefix-long"],
    ]);
    const cases: [string, string][] = [
      ["www.a.com", "exact"],
      ["x.www.a.com", "suffix-long"],
      ["x.a.com", "suffix-short"],
      ["www.b.org", "prefix-long"],
      ["www.c.org", "prefix-short"],
      ["other.org", "default"],
      // The * stands for at least one character.
      ["a.com", "default"],
    ];
    for (const [authority, want] of cases) assert.equal(index.find(authority), want, authority);
  });

  it("matches case-insensitively", () => {
    const index = indexOf([["www.A.com", "exact"], ["*.B.com", "suffix"]]);
    assert.deepEqual([index.find("WWW.a.COM"), index.find("X.b.Com")], ["exact", "suffix"]);
  });

  it("ranks ports as MOSN's TestVirtulHostWithPortMatch does", () => {
    const index = indexOf([
      ["www.test.com", "0"],
      ["www.test.com:8080", "1"],
      ["www.test.com:*", "2"],
      ["*.test.com:30888", "3"],
      ["*.com:30888", "4"],
      ["*.com:*", "5"],
      ["*.com", "5b"],
      ["*:*", "6"],
      ["*:80", "7"],
    ]);
    const cases: [string, string][] = [
      ["www.test.com", "0"],
      ["www.test.com:8080", "1"],
      ["www.test.com:80", "2"],
      ["www.test.com:30888", "2"],
      ["hello.test.com:30888", "3"],
      ["hello.com:30888", "4"],
      ["hello.com:30777", "5"],
      ["hello.cn:30777", "6"],
      ["hello.cn", "6"],
      ["hello.cn:80", "7"],
      // Without a port: the port-less wildcard before the any-port one.
      ["hello.com", "5b"],
    ];
    for (const [authority, want] of cases) assert.equal(index.find(authority), want, authority);
  });

  it("lets a domain without a port take a request with one, where MOSN would fall to the default", () => {
    const index = indexOf([["a.com", "exact"], ["*.b.com", "suffix"], ["c.*", "prefix"], ["*", "default"]]);
    assert.deepEqual(
      ["a.com:8080", "x.b.com:443", "c.org:80", "d.org:80"].map((a) => index.find(a)),
      ["exact", "suffix", "prefix", "default"],
    );
  });

  it("keeps a domain with a port to that port", () => {
    const index = indexOf([["a.com:8080", "port"], ["*.b.com:8080", "wild-port"]]);
    assert.deepEqual(["a.com:8080", "a.com", "a.com:80", "x.b.com:8080", "x.b.com"].map((a) => index.find(a)), [
      "port",
      undefined,
      undefined,
      "wild-port",
      undefined,
    ]);
  });

  it("reads IPv6 literals with and without a port", () => {
    const index = indexOf([["[::1]", "v6"], ["[::2]:80", "v6-port"]]);
    assert.deepEqual(["[::1]", "[::1]:8080", "[::2]:80", "[::2]"].map((a) => index.find(a)), [
      "v6",
      "v6",
      "v6-port",
      undefined,
    ]);
  });

  it("gives a request without an authority the default, and no default means no virtual host", () => {
    assert.equal(indexOf([["a.com", "a"], ["*", "default"]]).find(undefined), "default");
    assert.equal(indexOf([["a.com", "a"]]).find(undefined), undefined);
    assert.equal(indexOf([["a.com", "a"]]).find("b.com"), undefined);
  });

  it("takes any authority when only a default is configured", () => {
    const index = indexOf([["*", "default"]]);
    assert.ok(index.onlyDefault);
    assert.deepEqual(["x", "y:1", ""].map((a) => index.find(a)), ["default", "default", "default"]);
  });

  it("returns the holder of a domain added twice", () => {
    const index = indexOf([["a.com", "first"], ["*", "default"], ["*.b.com:80", "wild"]]);
    assert.equal(index.add(domain("A.com"), "second"), "first");
    assert.equal(index.add(domain("*:*"), "second"), "default");
    assert.equal(index.add(domain("*.B.com:80"), "second"), "wild");
    // Different ports are different domains.
    assert.equal(index.add(domain("a.com:*"), "any"), undefined);
    assert.equal(index.add(domain("*.b.com"), "portless"), undefined);
  });
});
