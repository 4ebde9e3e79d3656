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
    const layouts = [
      [],
      ...Array.from({ length: data.length - 1 }, (_, i) => [i + 1]),
      Array.from({ length: data.length - 1 }, (_, i) => i + 1),
    ];
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
    // Past the small-chunk size, so the buffer keeps the chunks it was given.
    const first = new Uint8Array(1000).map((_, i) => i & 0xff);
    const second = new Uint8Array(1000).map((_, i) => (i + 7) & 0xff);
    const buf = new ByteBuffer();
    buf.append(first);
    buf.append(second);
    const inFirst = buf.slice(1, 3);
    assert.equal(inFirst.buffer, first.buffer, "slice within a chunk must alias it");
    assert.deepEqual([...inFirst], [1, 2]);
    const inSecond = buf.slice(1005, 1008);
    assert.equal(inSecond.buffer, second.buffer);
    assert.deepEqual([...inSecond], [12, 13, 14]);
    // A decoder patches a request id through the view, and the forwarded chunk carries it.
    inSecond[0] = 60;
    assert.equal(second[5], 60);
  });

  it("copies small chunks together, and never rewrites bytes it handed out", () => {
    const buf = new ByteBuffer();
    for (let i = 0; i < 10; i++) buf.append(bytes(i));
    assert.equal((buf as unknown as { chunks: unknown[] }).chunks.length, 1, "ten one-byte chunks are one");
    const view = buf.take(4);
    assert.deepEqual([...view], [0, 1, 2, 3]);
    for (let i = 10; i < 5000; i++) buf.append(bytes(i & 0xff));
    assert.deepEqual([...view], [0, 1, 2, 3], "appending after a take leaves the taken view alone");
    assert.equal(buf.length, 4996);
    assert.equal(buf.uint8(0), 4);
    assert.equal(buf.uint8(4995), 4999 & 0xff);
    assert.ok(
      (buf as unknown as { chunks: unknown[] }).chunks.length <= 3,
      "4996 one-byte appends fill two 4 KiB blocks",
    );
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
    const big = (seed: number) => new Uint8Array(600).map((_, i) => (i * seed) & 0xff);
    const chunks = [big(1), big(3), big(5)];
    const buf = new ByteBuffer();
    for (const c of chunks) buf.append(c);
    buf.drain(1);
    const out: Uint8Array[] = [];
    buf.takeChunks(1500, out);
    assert.deepEqual(out.map((c) => c.length), [599, 600, 301]);
    assert.deepEqual(out.map((c) => c.buffer), chunks.map((c) => c.buffer));
    assert.equal(out[0]![0], 1);
    assert.equal(buf.length, 299);
    assert.equal(buf.uint8(0), (301 * 5) & 0xff);
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
          // Mostly small chunks (copied into tail blocks), sometimes large ones (kept as given).
          const chunk = Uint8Array.from({ length: pick(5) === 0 ? 513 + pick(100) : pick(9) }, () => pick(256));
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
