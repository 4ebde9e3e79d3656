import { assert, describe, it } from "../../test/support/test-api.ts";
import { ByteBuffer } from "./byte-buffer.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

/** Splits `data` into chunks at the given cut points and appends them to a new buffer. */
function split(data: Uint8Array, cuts: number[]): { buf: ByteBuffer; chunks: Uint8Array[] } {
  const buf = new ByteBuffer();
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    // Copied, so each chunk has its own ArrayBuffer and aliasing is visible in the tests.
    const chunk = data.slice(at, cut);
    chunks.push(chunk);
    buf.append(chunk);
    at = cut;
  }
  return { buf, chunks };
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

describe("ByteBuffer", () => {
  it("reads big-endian integers inside one chunk and across chunk boundaries", () => {
    const data = bytes(0xda, 0xbb, 0xc2, 0x01, 0x02, 0x03, 0x04, 0xff, 0xfe, 0xfd, 0xfc);
    // Every way to cut the bytes in two, plus a cut into single bytes.
    const layouts = [[], ...Array.from({ length: data.length - 1 }, (_, i) => [i + 1]), Array.from({ length: data.length - 1 }, (_, i) => i + 1)];
    for (const cuts of layouts) {
      const { buf } = split(data, cuts);
      const where = `cuts ${JSON.stringify(cuts)}`;
      assert.equal(buf.length, 11, where);
      assert.equal(buf.uint8(0), 0xda, where);
      assert.equal(buf.uint16(0), 0xdabb, where);
      assert.equal(buf.uint24(1), 0xbbc201, where);
      assert.equal(buf.uint32(3), 0x01020304, where);
      assert.equal(buf.uint32(7), 0xfffefdfc, where);
      assert.equal(buf.int32(7), -66052, where);
      assert.equal(buf.uint8(10), 0xfc, where);
    }
  });

  it("returns a view, not a copy, for a range inside one chunk", () => {
    const first = bytes(1, 2, 3, 4);
    const second = bytes(5, 6, 7, 8);
    const buf = new ByteBuffer();
    buf.append(first);
    buf.append(second);
    const inFirst = buf.slice(1, 3);
    assert.equal(inFirst.buffer, first.buffer, "slice within a chunk must alias it");
    assert.deepEqual([...inFirst], [2, 3]);
    const inSecond = buf.slice(5, 8);
    assert.equal(inSecond.buffer, second.buffer);
    assert.deepEqual([...inSecond], [6, 7, 8]);
    // A decoder patches a request id through the view, and the forwarded chunk carries it.
    inSecond[0] = 60;
    assert.equal(second[1], 60);
  });

  it("joins a range that straddles chunks into a new array", () => {
    const { buf, chunks } = split(bytes(1, 2, 3, 4, 5, 6), [2, 4]);
    const across = buf.slice(1, 5);
    assert.deepEqual([...across], [2, 3, 4, 5]);
    assert.ok(chunks.every((c) => c.buffer !== across.buffer));
    across[0] = 99;
    assert.equal(chunks[0]![1], 2, "a joined copy must not write through to the chunks");
  });

  it("take consumes; drain discards; offsets stay relative to the first unread byte", () => {
    const { buf } = split(bytes(10, 11, 12, 13, 14, 15, 16), [3, 5]);
    assert.deepEqual([...buf.take(2)], [10, 11]);
    assert.equal(buf.length, 5);
    assert.equal(buf.uint8(0), 12);
    assert.deepEqual([...buf.take(2)], [12, 13], "a take across chunks");
    buf.drain(2);
    assert.equal(buf.length, 1);
    assert.equal(buf.uint8(0), 16);
    buf.drain(1);
    assert.equal(buf.length, 0);
    buf.append(bytes(7));
    assert.equal(buf.uint8(0), 7, "appending after draining everything starts afresh");
  });

  it("takeChunks hands out views of the chunks without copying any byte", () => {
    const { buf, chunks } = split(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9), [4, 6]);
    buf.drain(1);
    const out: Uint8Array[] = [];
    buf.takeChunks(6, out);
    assert.deepEqual(out.map((c) => [...c]), [[2, 3, 4], [5, 6], [7]]);
    assert.deepEqual(out.map((c) => c.buffer), [chunks[0]!.buffer, chunks[1]!.buffer, chunks[2]!.buffer]);
    assert.equal(buf.length, 2);
    assert.deepEqual([...buf.slice(0, 2)], [8, 9]);
  });

  it("indexOf finds a byte across chunks within [from, to)", () => {
    const text = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    for (let cut = 1; cut < text.length; cut++) {
      const { buf } = split(text, [cut]);
      assert.equal(buf.indexOf(0x0a), 15, `cut ${cut}`);
      assert.equal(buf.indexOf(0x0a, 16), 24, `cut ${cut}`);
      assert.equal(buf.indexOf(0x0a, 16, 24), -1, `cut ${cut}: to is exclusive`);
      assert.equal(buf.indexOf(0x0a, 26), 26, `cut ${cut}`);
      assert.equal(buf.indexOf(0x7e), -1, `cut ${cut}`);
    }
    const { buf } = split(text, [3]);
    buf.drain(5);
    assert.equal(buf.indexOf(0x0a), 10, "relative to the first unread byte after a drain");
  });

  it("startsWith compares across chunks and is false when bytes are missing", () => {
    const { buf } = split(new TextEncoder().encode("PRI * HTTP/2.0"), [2, 3]);
    assert.ok(buf.startsWith(new TextEncoder().encode("PRI * HT")));
    assert.ok(buf.startsWith(new TextEncoder().encode("HTTP"), 6));
    assert.ok(!buf.startsWith(new TextEncoder().encode("GET")));
    assert.ok(!buf.startsWith(new TextEncoder().encode("HTTP/2.0 and more"), 6));
  });

  it("throws RangeError when a read goes past the buffered bytes", () => {
    const buf = new ByteBuffer();
    buf.append(bytes(1, 2, 3));
    assert.throws(() => buf.uint32(0), RangeError);
    assert.throws(() => buf.uint8(3), RangeError);
    assert.throws(() => buf.uint8(-1), RangeError);
    assert.throws(() => buf.slice(2, 5), RangeError);
    assert.throws(() => buf.take(4), RangeError);
    assert.throws(() => buf.drain(4), RangeError);
    assert.equal(buf.length, 3, "a failed read consumes nothing");
  });

  it("ignores empty chunks and clear releases everything", () => {
    const buf = new ByteBuffer();
    buf.append(new Uint8Array(0));
    buf.append(bytes(1));
    buf.append(new Uint8Array(0));
    buf.append(bytes(2));
    assert.equal(buf.uint16(0), 0x0102);
    buf.clear();
    assert.equal(buf.length, 0);
    assert.equal(buf.indexOf(1), -1);
  });

  it("agrees with a flat array under random chunking and random reads (1000 rounds)", () => {
    const random = xorshift(42);
    const pick = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 1000; round++) {
      const buf = new ByteBuffer();
      let model: number[] = [];
      for (let step = 0; step < 20; step++) {
        const op = pick(6);
        if (op <= 1 || model.length === 0) {
          const chunk = Uint8Array.from({ length: pick(9) }, () => pick(256));
          buf.append(chunk);
          model.push(...chunk);
        } else if (op === 2) {
          const n = pick(model.length + 1);
          assert.deepEqual([...buf.take(n)], model.slice(0, n));
          model = model.slice(n);
        } else if (op === 3 && model.length >= 4) {
          const at = pick(model.length - 3);
          const expected = ((model[at]! << 24) | (model[at + 1]! << 16) | (model[at + 2]! << 8) | model[at + 3]!) >>> 0;
          assert.equal(buf.uint32(at), expected);
        } else if (op === 4) {
          const from = pick(model.length);
          const byte = model[pick(model.length)]!;
          const expected = model.indexOf(byte, from);
          assert.equal(buf.indexOf(byte, from), expected);
        } else {
          const n = pick(model.length + 1);
          const out: Uint8Array[] = [];
          buf.takeChunks(n, out);
          assert.deepEqual(out.flatMap((c) => [...c]), model.slice(0, n));
          model = model.slice(n);
        }
        assert.equal(buf.length, model.length);
      }
    }
  });

  it("keeps its chunk list short while a long stream flows through it", () => {
    const buf = new ByteBuffer();
    for (let i = 0; i < 10_000; i++) {
      buf.append(bytes(i & 0xff, (i + 1) & 0xff));
      buf.drain(i === 0 ? 1 : 2);
    }
    assert.equal(buf.length, 1);
    assert.ok((buf as unknown as { chunks: unknown[] }).chunks.length <= 33, "consumed chunks must be released");
  });
});
