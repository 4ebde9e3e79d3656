import { assert, describe, it } from "../../test/support/test-api.ts";
import { closestMatch, describeValue, didYouMean, editDistance, normalizeKey } from "./keys.ts";

describe("normalizeKey", () => {
  it("folds case and drops underscores, as Go's decoder plus MOSN's untagged fields need", () => {
    assert.equal(normalizeKey("Name"), "name");
    assert.equal(normalizeKey("SourceAddrs"), normalizeKey("source_addrs"));
    assert.equal(normalizeKey("LB_TYPE"), "lbtype");
  });
});

describe("editDistance", () => {
  it("counts inserts, deletes, substitutions and adjacent swaps", () => {
    assert.equal(editDistance("lbtype", "lbtype"), 0);
    assert.equal(editDistance("lbtpye", "lbtype"), 1);
    assert.equal(editDistance("adress", "address"), 1);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
  });
});

describe("closestMatch", () => {
  const keys = ["name", "type", "lb_type", "hosts", "connect_timeout"];
  it("suggests the nearest key within two edits", () => {
    assert.equal(closestMatch("lb_tpye", keys), "lb_type");
    assert.equal(closestMatch("conect_timeout", keys), "connect_timeout");
    assert.equal(closestMatch("Hostss", keys), "hosts");
  });
  it("suggests nothing for words that are not near", () => {
    assert.equal(closestMatch("weight", keys), undefined);
    assert.equal(closestMatch("xy", keys), undefined);
  });
  it("didYouMean formats the hint or gives nothing", () => {
    assert.equal(didYouMean("typ", keys), ", did you mean type?");
    assert.equal(didYouMean("zzzzzz", keys), "");
  });
});

describe("describeValue", () => {
  it("quotes strings and names containers", () => {
    assert.equal(describeValue("abc"), '"abc"');
    assert.equal(describeValue(5), "5");
    assert.equal(describeValue([1]), "a list");
    assert.equal(describeValue({}), "an object");
    assert.equal(describeValue(null), "nothing");
  });
});
