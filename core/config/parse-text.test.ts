import { describe, it, assert } from "../../test/support/test-api.ts";
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

describe("parseConfigText", () => {
  it("reads JSON by file name or by an opening brace, YAML otherwise", () => {
    assert.equal(isJsonText("a: 1", "x.JSON"), true);
    assert.equal(isJsonText('  {"a": 1}', "x.conf"), true);
    assert.equal(isJsonText("a: 1", "x.yaml"), false);
    assert.deepEqual(parseConfigText('{"a": [1, "b"]}', "c.json"), { a: [1, "b"] });
    assert.deepEqual(parseConfigText("a:\n  - 1\n  - b\n", "c.yaml"), { a: [1, "b"] });
    assert.deepEqual(parseConfigText('{"a": 1}', "c.yaml"), { a: 1 });
  });

  it("skips a byte-order mark", () => {
    assert.deepEqual(parseConfigText('\uFEFF{"a": 1}', "c.json"), { a: 1 });
  });

  it("names the file and line of a JSON syntax error on every runtime", () => {
    const err = configError(() => parseConfigText('{\n  "a": 1,\n  "b": 2,\n}\n', "bad.json"));
    assert.equal(err.path, "");
    assert.equal(err.message, "bad.json: JSON syntax error: trailing comma is not allowed in JSON at line 4, column 1");
  });

  it("names the file and line of a YAML syntax error", () => {
    const err = configError(() => parseConfigText("servers:\n  - name: a\n  name: b\n name: c\n", "bad.yaml"));
    assert.match(err.message, /^bad\.yaml: YAML syntax error: .* at line \d+, column \d+$/);
    const dup = configError(() => parseConfigText("a: 1\na: 2\n", "dup.yaml"));
    assert.equal(dup.message, "dup.yaml: YAML syntax error: Map keys must be unique at line 2, column 1");
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
