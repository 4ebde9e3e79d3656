import { assert, describe, it } from "../../test/support/test-api.ts";
import { ConfigError } from "../errors.ts";
import { findJsonSyntaxProblem } from "./json-syntax.ts";
import { isJsonText, parseConfigText } from "./parse-text.ts";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

const value = (text: string, filename = "c.yaml") => parseConfigText(text, filename).value;

describe("parseConfigText", () => {
  it("reads JSON by file name or by an opening brace, YAML otherwise", () => {
    assert.equal(isJsonText("a: 1", "x.JSON"), true);
    assert.equal(isJsonText('  {"a": 1}', "x.conf"), true);
    assert.equal(isJsonText("a: 1", "x.yaml"), false);
    assert.deepEqual(parseConfigText('{"a": [1, "b"]}', "c.json"), { value: { a: [1, "b"] }, warnings: [] });
    assert.deepEqual(parseConfigText("a:\n  - 1\n  - b\n", "c.yaml"), { value: { a: [1, "b"] }, warnings: [] });
    assert.deepEqual(value('{"a": 1}'), { a: 1 });
  });

  it("skips a byte-order mark", () => {
    assert.deepEqual(value('\uFEFF{"a": 1}', "c.json"), { a: 1 });
    assert.deepEqual(value("\uFEFFa: 1\n"), { a: 1 });
  });

  it("gives the line and column of a JSON syntax error on every runtime, and leaves the file to the caller", () => {
    const err = configError(() => parseConfigText('{\n  "a": 1,\n  "b": 2,\n}\n', "bad.json"));
    assert.equal(err.path, "");
    assert.equal(err.message, "JSON syntax error: trailing comma is not allowed in JSON at line 4, column 1");
  });

  it("gives the line and column of a YAML syntax error, without the library's excerpt, and leaves the file to the caller", () => {
    const err = configError(() => parseConfigText("servers:\n  - name: a\n  name: b\n name: c\n", "bad.yaml"));
    assert.equal(err.path, "");
    assert.match(err.message, /^YAML syntax error: [^\n]* at line \d+, column \d+$/);
    assert.doesNotMatch(err.message, /bad\.yaml/);
    assert.equal(
      configError(() => value("a: [1,\n")).message,
      "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1",
    );
  });
});

describe("findJsonSyntaxProblem", () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['{"a" 1}', 1, 6, /where ":" should be/],
    ['{"a": 1 "b": 2}', 1, 9, /where "," or "}" should be/],
    ["[1, 2,]", 1, 7, /trailing comma/],
    ['{"a": tru}', 1, 7, /where a value should be/],
    ['{\n"a": "x\ny"}', 2, 8, /control character/],
    ['{"a": "\\q"}', 1, 8, /bad escape/],
    ['{"a": 01}', 1, 8, /"1"/],
    ["{'a': 1}", 1, 2, /quoted key/],
    ['{"a": 1', 1, 8, /end of text/],
    ['{"a": 1} x', 1, 10, /after the top-level value/],
  ];
  for (const [text, line, column, message] of cases) {
    it(`locates the problem in ${JSON.stringify(text)}`, () => {
      const p = findJsonSyntaxProblem(text);
      assert.ok(p, "expected a problem");
      assert.equal(p.line, line);
      assert.equal(p.column, column);
      assert.match(p.message, message);
    });
  }

  it("finds nothing wrong in valid JSON", () => {
    assert.equal(findJsonSyntaxProblem('{"a": [1, -2.5e3, true, null, "\\u00e9\\n"], "b": {}}'), undefined);
  });
});
