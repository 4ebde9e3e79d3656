import { assert, describe, it } from "../../test/support/test-api.ts";
import { resolveGoYamlNumber } from "./go-yaml-number.ts";

describe("resolveGoYamlNumber", () => {
  // What yaml.v2 v2.4.0's resolve() gives each plain scalar (resolve.go), written as JSON would carry it.
  const numbers: Array<[string, number]> = [
    ["0", 0],
    ["-0", 0],
    ["42", 42],
    ["+42", 42],
    ["-42", -42],
    ["1_000_000", 1_000_000],
    ["0x1F", 31],
    ["-0x1f", -31],
    ["0o17", 15],
    ["017", 15],
    ["0b101", 5],
    ["-0b101", -5],
    ["0x_1F", 31],
    ["08", 8],
    ["1.5", 1.5],
    ["-1.5", -1.5],
    ["1.", 1],
    ["+.5", 0.5],
    [".5", 0.5],
    [".5_0", 0.5],
    ["1e3", 1000],
    ["1E-3", 0.001],
    ["1_0.2_5", 10.25],
    ["18446744073709551615", 18446744073709551615],
    ["+9223372036854775808", 9223372036854775808],
  ];
  for (const [text, want] of numbers) {
    it(`reads ${text} as ${want}`, () => {
      const got = resolveGoYamlNumber(text);
      assert.equal(typeof got, "number");
      assert.ok(Object.is(got, want), `${text}: got ${String(got)}`);
    });
  }

  it("reads the spelled-out infinities and NaN", () => {
    assert.equal(resolveGoYamlNumber(".inf"), Infinity);
    assert.equal(resolveGoYamlNumber("-.INF"), -Infinity);
    assert.ok(Number.isNaN(resolveGoYamlNumber(".NaN")));
  });

  // Each is text to yaml.v2: not Go number syntax, a timestamp, base 60, or out of range.
  const texts = [
    "1:30",
    "2001-12-14",
    "127.0.0.1",
    "10s",
    "1e400",
    ".",
    "+",
    "-",
    "0x",
    "0b2",
    "1e",
    ".inf.",
    ".iNf",
    "._5",
    "0x1p-2",
    "0x1_0000_0000_0000_0000",
    "1.2.3",
    "0.0.0.0:80",
  ];
  for (const text of texts) {
    it(`keeps ${text} as text`, () => assert.equal(resolveGoYamlNumber(text), text));
  }
});
