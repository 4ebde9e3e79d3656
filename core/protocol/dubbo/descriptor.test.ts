import { assert, describe, it } from "../../../test/support/test-api.ts";
import { countArguments } from "./descriptor.ts";

function count(descriptor: string): number {
  return countArguments(Uint16Array.from(descriptor, (c) => c.charCodeAt(0)), descriptor.length);
}

describe("dubbo parameter descriptor", () => {
  it("counts primitives, classes and arrays of either", () => {
    const cases: [string, number][] = [
      ["", 0],
      ["I", 1],
      ["ZBCDFIJS", 8],
      ["Ljava/lang/String;", 1],
      ["[I", 1],
      ["[[J", 1],
      ["[Ljava/lang/String;", 1],
      ["Ljava/lang/String;I[I[Ljava/lang/String;", 4],
      ["Lcom/ILJZ/Weird;J", 2], // letters inside a class name are not parameters
      ["Ljava/lang/String;[Ljava/lang/String;[Ljava/lang/Object;", 3], // $invoke
    ];
    for (const [d, n] of cases) assert.equal(count(d), n, d);
  });

  it("counts only the first n units", () => {
    assert.equal(countArguments(Uint16Array.from([0x49, 0x49, 0x49]), 2), 2);
  });
});
