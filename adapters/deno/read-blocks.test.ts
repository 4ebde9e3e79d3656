import { assert, describe, it } from "../../test/support/test-api.ts";
import { COPY_MAX, READ_MAX, READ_MIN, ReadBlocks } from "./read-blocks.ts";

/** Simulates one read of up to `available` bytes: returns the region's size and the chunk. */
function read(
  b: ReadBlocks,
  available: number,
  fill = 1,
): { region: number; chunk: Uint8Array; block: ArrayBufferLike } {
  const region = b.region();
  const n = Math.min(available, region.length);
  region.fill(fill, 0, n);
  return { region: region.length, chunk: b.took(n), block: region.buffer };
}

describe("Deno read blocks", () => {
  it("small reads share one small block, each chunk its own bytes, never overwritten", () => {
    const b = new ReadBlocks();
    const chunks: Uint8Array[] = [];
    const blocks = new Set<ArrayBufferLike>();
    for (let i = 0; i < 40; i++) {
      const r = read(b, 100, i + 1);
      assert.ok(r.region <= READ_MIN);
      chunks.push(r.chunk);
      blocks.add(r.block);
    }
    chunks.forEach((c, i) => assert.ok(c.length === 100 && c.every((x) => x === i + 1), `chunk ${i} was overwritten`));
    assert.ok(blocks.size <= 2, `${blocks.size} blocks for 4000 bytes of small reads`);
  });

  it("a small read is a copy and its region is read into again; a large one is a view, never reused", () => {
    const b = new ReadBlocks();
    const first = b.region();
    const small = b.took(100);
    assert.notEqual(small.buffer, first.buffer, "copied out");
    const again = b.region();
    assert.equal(again.buffer, first.buffer);
    assert.equal(again.byteOffset, first.byteOffset, "the same region is read into again");
    for (let i = 0; i < 8; i++) read(b, Infinity); // grow past COPY_MAX
    const region = b.region();
    assert.ok(region.length > COPY_MAX);
    region.fill(7);
    const big = b.took(region.length);
    assert.equal(big.buffer, region.buffer, "handed over as a view");
    assert.ok(
      b.region().buffer !== big.buffer || b.region().byteOffset >= big.byteOffset + big.length,
      "not read into again",
    );
  });

  it("reads that fill their buffer grow it to the maximum", () => {
    const b = new ReadBlocks();
    const sizes: number[] = [];
    for (let i = 0; i < 8; i++) sizes.push(read(b, Infinity).region);
    assert.equal(sizes[0], READ_MIN);
    assert.equal(sizes[sizes.length - 1], READ_MAX);
    assert.ok(sizes.every((s, i) => i === 0 || s >= sizes[i - 1]));
  });

  it("after a short read the pending read is small, whatever came before (an idle connection pins no 64 KiB)", () => {
    const b = new ReadBlocks();
    for (let i = 0; i < 8; i++) read(b, Infinity);
    assert.equal(read(b, Infinity).region, READ_MAX);
    read(b, 40_000); // short: the sender paused
    const waiting = b.region();
    assert.ok(waiting.buffer.byteLength <= READ_MIN, `an idle read pins ${waiting.buffer.byteLength} bytes`);
    // It fills (the sender went on): straight back to large reads.
    b.took(waiting.length);
    assert.ok(b.region().length >= READ_MAX / 2);
  });
});
