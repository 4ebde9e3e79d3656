import { assert, describe, it } from "../../test/support/test-api.ts";
import { parseGoDuration } from "./duration.ts";

describe("parseGoDuration", () => {
  const good: Array<[string, number]> = [
    ["0", 0],
    ["-0", 0],
    ["+0", 0],
    ["0s", 0],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["1.5h", 5_400_000],
    ["300us", 0.3],
    ["2\u00b5s", 0.002],
    ["2\u03bcs", 0.002],
    ["1500ns", 0.0015],
    ["1.1s", 1100],
    [".5s", 500],
    ["5.s", 5000],
    ["1h2m3s4ms", 3_723_004],
    ["-1.5s", -1500],
    ["+2s", 2000],
  ];
  for (const [text, ms] of good) {
    it(`reads ${JSON.stringify(text)} as ${ms} ms`, () => assert.equal(parseGoDuration(text), ms));
  }

  const bad = ["", "1", "s", ".s", "-", "1x", "1S", " 1s", "1s ", "1e3s", "1..5s", "10000000h"];
  for (const text of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(typeof parseGoDuration(text), "string"));
  }

  it("says what is missing", () => {
    assert.match(parseGoDuration("30") as string, /missing unit/);
    assert.match(parseGoDuration("3sec") as string, /unknown unit "sec"/);
    assert.match(parseGoDuration("10000000h") as string, /out of range/);
  });
});
