import { assert, describe, it } from "../../test/support/test-api.ts";
import { ConfigError } from "../errors.ts";
import { parseMosnYaml } from "./parse-yaml.ts";

function yamlError(text: string): ConfigError {
  try {
    parseMosnYaml(text);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

const valueOf = (text: string) => parseMosnYaml(text).value;
const scalar = (text: string) => (valueOf(`v: ${text}\n`) as { v: unknown }).v;

describe("parseMosnYaml: scalars as yaml.v2 resolves them", () => {
  it("reads every YAML 1.1 boolean yaml.v2 knows, and nothing else, as a boolean", () => {
    for (const t of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) {
      assert.equal(scalar(t), true, t);
    }
    for (const f of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) {
      assert.equal(scalar(f), false, f);
    }
    for (const s of ["yEs", "oN", "tRUE", "enabled", "'yes'", '"on"']) assert.equal(typeof scalar(s), "string", s);
  });

  it("reads null, ~ and an empty value as null", () => {
    for (const n of ["~", "null", "Null", "NULL", ""]) assert.equal(scalar(n), null, n);
    assert.equal(scalar("nULL"), "nULL");
  });

  it("keeps timestamps and base-60 numbers as text, as yaml.v2 does for an untyped value", () => {
    assert.equal(scalar("2001-12-14"), "2001-12-14");
    assert.equal(scalar("1:30"), "1:30");
    assert.equal(scalar("127.0.0.1:8080"), "127.0.0.1:8080");
  });

  it("turns boolean and number keys into their text, as ghodss/yaml does", () => {
    assert.deepEqual(valueOf("yes: 1\noff: 2\n80: 3\n"), { true: 1, false: 2, "80": 3 });
  });
});

describe("parseMosnYaml: merge keys", () => {
  const anchors = "a: &a { p: 1, q: 1 }\nb: &b { q: 2, r: 2 }\n";

  it("merges one anchor, and lets the mapping's own keys win", () => {
    const v = valueOf(`${anchors}m:\n  <<: *a\n  p: 9\n`) as { m: unknown };
    assert.deepEqual(v.m, { p: 9, q: 1 });
  });

  it("merges a list of anchors, earlier ones first, and inline mappings", () => {
    const v = valueOf(`${anchors}m:\n  <<: [*a, *b, { w: 0 }]\n`) as { m: unknown };
    assert.deepEqual(v.m, { p: 1, q: 1, r: 2, w: 0 });
  });

  it("reads a quoted << as an ordinary key", () => {
    assert.deepEqual((valueOf(`${anchors}m:\n  "<<": *a\n`) as { m: unknown }).m, { "<<": { p: 1, q: 1 } });
  });

  it("warns where yaml.v2 would let a merged value replace a key written before the <<", () => {
    const { value, warnings } = parseMosnYaml(`${anchors}m:\n  p: 9\n  <<: *a\n`);
    assert.deepEqual((value as { m: unknown }).m, { p: 9, q: 1 });
    assert.deepEqual(warnings, [
      "m.p: written on line 4, before the merge key (<<) on line 5 that also sets it; the written value is used, where MOSN would take the merged one (put << first)",
    ]);
  });

  it("refuses to merge anything but mappings, as yaml.v2 does, with the line", () => {
    const message =
      "YAML error: a merge key (<<) needs a mapping, an alias of one, or a list of them at line 3, column 3";
    assert.equal(yamlError("l: &l [{ p: 1 }]\nm:\n  <<: *l\n").message, message);
    assert.equal(yamlError("s: &s 5\nm:\n  <<: [*s]\n").message, message);
    assert.equal(yamlError("p: 1\nm:\n  <<: 5\n").message, message);
  });

  it("loads a config that reuses one anchor hundreds of times (the library alone stops at 100)", () => {
    const text = `base: &base { a: 1 }\nlist:\n${"  - { <<: *base, b: 2 }\n".repeat(300)}`;
    const list = (valueOf(text) as { list: unknown[] }).list;
    assert.equal(list.length, 300);
    assert.deepEqual(list[299], { a: 1, b: 2 });
  });
});

describe("parseMosnYaml: documents", () => {
  it("accepts a leading and a trailing ---, and a ... end marker", () => {
    assert.deepEqual(parseMosnYaml("---\na: 1\n---\n"), { value: { a: 1 }, warnings: [] });
    assert.deepEqual(parseMosnYaml("a: 1\n...\n"), { value: { a: 1 }, warnings: [] });
    assert.deepEqual(parseMosnYaml("--- \n# nothing else\n---\na: 1\n"), {
      value: null,
      warnings: ["YAML document at line 3, column 1 ignored: MOSN reads only the first document of a file"],
    });
  });

  it("reads only the first document, as yaml.v2 does, and says so when another one has content", () => {
    const ignored = ["YAML document at line 2, column 1 ignored: MOSN reads only the first document of a file"];
    assert.deepEqual(parseMosnYaml("a: 1\n---\nb: 2\n"), { value: { a: 1 }, warnings: ignored });
    // yaml.v2 never parses past the first document, so a broken later one is not an error.
    assert.deepEqual(parseMosnYaml("a: 1\n---\nb: [\n"), { value: { a: 1 }, warnings: ignored });
  });

  it("reads an empty file as null", () => {
    assert.deepEqual(parseMosnYaml(""), { value: null, warnings: [] });
    assert.deepEqual(parseMosnYaml("# only a comment\n"), { value: null, warnings: [] });
  });
});

describe("parseMosnYaml: keys and errors", () => {
  it("keeps the last of a key given twice, as yaml.v2 does, with a warning naming its path and lines", () => {
    const { value, warnings } = parseMosnYaml("servers:\n  - name: a\n    port: 1\n    name: b\n");
    assert.deepEqual(value, { servers: [{ name: "b", port: 1 }] });
    assert.deepEqual(warnings, [
      "servers[0].name: given twice in one mapping (lines 2 and 4); the last one is used, as MOSN does",
    ]);
  });

  it("names the line and column of an unknown anchor", () => {
    assert.equal(
      yamlError("a: 1\nb: *nope\n").message,
      'YAML error: unknown anchor "nope" referenced at line 2, column 4',
    );
  });

  it("refuses a list or mapping as a key, as yaml.v2 does", () => {
    assert.equal(
      yamlError("? [a, b]\n: 1\n").message,
      "YAML error: a mapping key must be a plain value, not a list or mapping at line 1, column 3",
    );
  });

  it("reports a syntax error once, with line and column, and none of the library's advice", () => {
    const err = yamlError("servers:\n  - listeners: [\n");
    assert.equal(err.path, "");
    assert.equal(
      err.message,
      "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1",
    );
    for (const text of ["a: b: c\n", "a:\n\t- 1\n", "a: 'x\n", "- a\nb: 1\n"]) {
      const message = yamlError(text).message;
      assert.match(message, /^YAML syntax error: [^\n]+ at line \d+, column \d+$/, text);
      assert.doesNotMatch(message, /please|option|YAML\.parse/i, text);
    }
  });
});
