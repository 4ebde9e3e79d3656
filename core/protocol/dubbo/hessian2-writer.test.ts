import { assert, describe, it } from "../../../test/support/test-api.ts";
import { hessianDecodeAll, hessianEncode } from "../../../test/support/hessian.ts";
import { stringBytes, writeString } from "./hessian2-writer.ts";

function written(s: string): Uint8Array {
  const out = new Uint8Array(stringBytes(s));
  assert.equal(writeString(out, 0, s), out.length, "writeString fills exactly stringBytes");
  return out;
}

describe("hessian2 writer: strings", () => {
  const cases: [string, string][] = [
    ["empty", ""],
    ["ASCII", "service not found"],
    ["31 and 32 chars", "a".repeat(31) + "|" + "b".repeat(32)],
    ["1023 chars, medium form", "c".repeat(1023)],
    ["1024 chars, 'S' form", "d".repeat(1024)],
    ["two- and three-byte chars", "héllo 中文"],
    ["emoji, as Java's two 3-byte surrogates", "fail 😀 🎉"],
    ["a lone surrogate", "\udc00"],
    ["chunked at 0x8000", "e".repeat(0x8000 * 2 + 3)],
    ["a chunk shortened so a pair is not split", "f".repeat(0x7fff) + "😀" + "g".repeat(0x8000)],
  ];
  for (const [name, s] of cases) {
    it(name, () => {
      const out = written(s);
      assert.deepEqual(out, hessianEncode(s), "the bytes hessian.js (and Java) write");
      assert.deepEqual(hessianDecodeAll(out), [s]);
    });
  }

  it("writes at an offset, leaving the bytes around it", () => {
    const out = new Uint8Array(stringBytes("ab") + 2).fill(0xee);
    assert.equal(writeString(out, 1, "ab"), 4);
    assert.deepEqual(out, Uint8Array.from([0xee, 0x02, 0x61, 0x62, 0xee]));
  });
});
