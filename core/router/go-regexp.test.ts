import { assert, describe, it } from "../../test/support/test-api.ts";
import { compileGoRegexp } from "./go-regexp.ts";

function re(source: string): RegExp {
  const r = compileGoRegexp(source);
  if (typeof r === "string") assert.fail(r);
  return r;
}

describe("compileGoRegexp", () => {
  it("matches anywhere, as Go's MatchString", () => {
    assert.ok(re("/api").test("/v1/api/x"));
    assert.ok(!re("^/api$").test("/api/x"));
  });

  it("turns a leading flag group into flags", () => {
    assert.ok(re("(?i)^/API").test("/api"));
    assert.ok(re("(?s)a.b").test("a\nb"));
    assert.ok(!re("a.b").test("a\nb"));
    assert.ok(re("(?m)^b$").test("a\nb\nc"));
  });

  it("reads (?P<name>...) as a named group", () => {
    assert.equal(re("^/u/(?P<id>[0-9]+)$").exec("/u/42")?.groups?.id, "42");
  });

  it("translates \\A and \\z to the start and end of the text, also under (?m)", () => {
    const r = re("(?m)\\Aa$\\z");
    assert.ok(r.test("a"));
    assert.ok(!r.test("b\na"));
    assert.ok(!re("a\\z").test("a\n"));
  });

  it("keeps a ] right after [ (or [^) a literal, as RE2 does", () => {
    assert.ok(re("^[]a]+$").test("]a]"));
    assert.ok(re("^[^]a]$").test("b"));
    assert.ok(!re("^[^]a]$").test("]"));
  });

  it("keeps escapes and classes that mean the same", () => {
    assert.ok(re("^\\d{3}\\.\\w+[\\]x]$").test("123.ab]"));
    assert.ok(re("^a\\z").test("a"));
  });

  it("refuses what JavaScript would read another way", () => {
    assert.match(compileGoRegexp("\\Qa.b\\E") as string, /\\Q/);
    assert.match(compileGoRegexp("[[:alpha:]]") as string, /POSIX/);
    assert.match(compileGoRegexp("\\pL") as string, /Unicode/);
    assert.match(compileGoRegexp("\\C") as string, /any byte/);
    assert.match(compileGoRegexp("(?U)a+") as string, /\(\?U\)/);
    assert.match(compileGoRegexp("a\\") as string, /trailing backslash/);
  });

  it("refuses flag groups after the start, which not every runtime's engine reads", () => {
    for (const source of ["a(?i)b", "(?i:b)", "x(?-s:.)", "(?i)a(?s)b"]) {
      assert.equal(
        compileGoRegexp(source),
        "flag groups such as (?i) are supported only at the very start of the pattern",
        source,
      );
    }
    assert.ok(re("(?:a|b)(?P<n>c)").test("bc"));
  });

  it("reports a syntax error", () => {
    assert.match(compileGoRegexp("(unclosed") as string, /^invalid regular expression: /);
  });
});
