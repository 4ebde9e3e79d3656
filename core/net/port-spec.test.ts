import { assert, describe, it } from "../../test/support/test-api.ts";
import { parsePortSpec, portInRanges } from "./port-spec.ts";

describe("parsePortSpec", () => {
  it("reads single ports, ranges and lists", () => {
    assert.deepEqual(parsePortSpec("80"), [{ min: 80, max: 80 }]);
    assert.deepEqual(parsePortSpec("8000-8080"), [{ min: 8000, max: 8080 }]);
    assert.deepEqual(parsePortSpec("80, 443,9000 - 9100"), [
      { min: 80, max: 80 },
      { min: 443, max: 443 },
      { min: 9000, max: 9100 },
    ]);
    assert.deepEqual(parsePortSpec(""), []);
    assert.deepEqual(parsePortSpec("0-65535"), [{ min: 0, max: 65535 }]);
  });

  it("says what is wrong instead of skipping the item as MOSN does", () => {
    assert.equal(parsePortSpec("80,,443"), 'expected ports like "80", "8000-8080" or "80,443", got "" in "80,,443"');
    assert.equal(parsePortSpec("http"), 'expected ports like "80", "8000-8080" or "80,443", got "http" in "http"');
    assert.equal(parsePortSpec("1-2-3"), 'expected ports like "80", "8000-8080" or "80,443", got "1-2-3" in "1-2-3"');
    assert.equal(parsePortSpec("70000"), 'port must be 0-65535, got "70000"');
    assert.equal(parsePortSpec("90-80"), 'range "90-80" starts above its end');
  });
});

describe("portInRanges", () => {
  it("matches inclusive bounds, and anything when empty", () => {
    const ranges = [{ min: 80, max: 80 }, { min: 8000, max: 8080 }];
    assert.equal(portInRanges(ranges, 80), true);
    assert.equal(portInRanges(ranges, 8000), true);
    assert.equal(portInRanges(ranges, 8080), true);
    assert.equal(portInRanges(ranges, 8081), false);
    assert.equal(portInRanges(ranges, 81), false);
    assert.equal(portInRanges([], 1), true);
  });
});
