import { assert, describe, it } from "../../../test/support/test-api.ts";
import { copyBytes, readId, writeId, XFrame } from "./frame.ts";

function frame(): XFrame {
  const f = new XFrame({
    protocol: "test",
    bytes: new Uint8Array(12),
    isRequest: true,
    oneway: false,
    heartbeat: false,
    idOffset: 4,
    idLength: 8,
    status: -1,
    timeoutMs: 0,
  });
  f.init("service", "a.B");
  f.init("x-tag", "1");
  f.init("x-tag", "2");
  return f;
}

describe("XFrame", () => {
  it("stays clean while decoded and through no-op sets; any real change makes it dirty", () => {
    const f = frame();
    assert.equal(f.dirty, false);
    f.set("service", "a.B");
    assert.equal(f.dirty, false, "the same single value");
    f.set("x-tag", "1");
    assert.equal(f.dirty, true, "collapsing a repeated header is a change");
    assert.deepEqual(f.getAll("x-tag"), ["1"]);
    for (const change of [(g: XFrame) => g.add("k", "v"), (g: XFrame) => g.delete("service")]) {
      const g = frame();
      change(g);
      assert.equal(g.dirty, true);
    }
    const g = frame();
    assert.equal(g.delete("absent"), false);
    assert.equal(g.dirty, false);
  });

  it("reads and writes ids of any width; a 64-bit id past 2^53 reads as NaN, its bytes kept as they are", () => {
    const f = frame();
    writeId(f.bytes, 4, 8, 2 ** 40 + 5);
    assert.equal(f.requestId, 2 ** 40 + 5);
    f.bytes.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], 4);
    assert.ok(Number.isNaN(f.requestId));
    const raw = f.idBytes();
    f.bytes.fill(0, 4);
    assert.deepEqual([...raw], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], "idBytes is a copy");
    const b = new Uint8Array(4);
    writeId(b, 0, 4, 0xfffffffe);
    assert.equal(readId(b, 0, 4), 0xfffffffe);
  });

  it("copyBytes copies, whatever kind of view it is given", () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5]);
    const copy = copyBytes(whole.subarray(1, 4));
    whole[2] = 9;
    assert.deepEqual([...copy], [2, 3, 4]);
    assert.equal(copy.byteOffset, 0);
    assert.equal(copy.buffer.byteLength, 3);
  });
});
