import { assert, describe, it } from "../../test/support/test-api.ts";
import { HeaderMap } from "./header-map.ts";

function entries(h: HeaderMap): string[] {
  const out: string[] = [];
  h.forEach((name, value, spelling) => out.push(`${spelling}|${name}=${value}`));
  return out;
}

describe("HeaderMap", () => {
  it("keeps order, repeats and the spelling each entry came with", () => {
    const h = new HeaderMap();
    h.add("Host", "a.example");
    h.add("Set-Cookie", "a=1");
    h.add("X-Request-ID", "7");
    h.add("set-cookie", "b=2");
    assert.equal(h.size, 4);
    assert.equal(h.get("set-cookie"), "a=1");
    assert.deepEqual(h.getAll("set-cookie"), ["a=1", "b=2"]);
    assert.equal(h.get("x-request-id"), "7");
    assert.equal(h.has("host"), true);
    assert.equal(h.get("Host"), undefined, "lookups take lower-case names");
    assert.deepEqual(entries(h), [
      "Host|host=a.example",
      "Set-Cookie|set-cookie=a=1",
      "X-Request-ID|x-request-id=7",
      "set-cookie|set-cookie=b=2",
    ]);
  });

  it("set replaces every entry of a name at the first one's place", () => {
    const h = new HeaderMap();
    h.add("a", "1");
    h.add("B", "2");
    h.add("c", "3");
    h.add("b", "4");
    h.set("b", "5");
    assert.deepEqual(entries(h), ["a|a=1", "B|b=5", "c|c=3"]);
    h.set("D", "6");
    assert.deepEqual(entries(h), ["a|a=1", "B|b=5", "c|c=3", "D|d=6"]);
  });

  it("delete removes every entry of a name and says whether there was one", () => {
    const h = new HeaderMap();
    h.add("connection", "close");
    h.add("keep", "1");
    h.add("Connection", "x");
    assert.equal(h.delete("connection"), true);
    assert.equal(h.delete("connection"), false);
    assert.deepEqual(entries(h), ["keep|keep=1"]);
    assert.equal(h.byteSize(), 5);
  });
});
