import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { NEED_MORE } from "../xprotocol/codec.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import { boltCodec } from "./index.ts";
import { boltRequest, boltResponse } from "./test-helpers.ts";

/** A seeded xorshift, so a failure replays. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const SEEDS = [
  boltRequest({
    headers: [["service", "com.example.Echo:1.0"], ["sofa_head_method_name", "echo"], ["名", "值 😀"], ["n", null]],
  }),
  boltRequest({ oneway: true, headers: [["a", ""], ["b", "c"]] }),
  boltResponse({ status: 7, headers: [["k", "v"]] }),
  boltCodec.heartbeat(3),
];

/**
 * Frames `bytes` as the stream layer does: frameLength, then decode of a whole frame, then a
 * re-encode after a change that must decode again. Only XCodecError may come out.
 */
function tryFrame(bytes: Uint8Array): void {
  const buf = new ByteBuffer();
  buf.append(bytes);
  try {
    const length = boltCodec.frameLength(buf, 64 * 1024);
    if (length === NEED_MORE || length > buf.length) return;
    assert.ok(length >= 20, `frame length ${length}`);
    const f = boltCodec.decode(buf.take(length));
    f.set("fuzz", "1");
    const again = boltCodec.decode(boltCodec.encode(f));
    assert.equal(again.get("fuzz"), "1");
  } catch (e) {
    if (!(e instanceof XCodecError)) throw e;
  }
}

describe("bolt framing under mutation", () => {
  it("random cuts, byte flips and length changes throw nothing but XCodecError, quickly", () => {
    const next = random(0xb017);
    const started = Date.now();
    for (let round = 0; round < 5000; round++) {
      const seed = SEEDS[round % SEEDS.length]!;
      let bytes = seed.slice();
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const kind = next();
        if (kind < 0.2) {
          bytes = bytes.slice(0, Math.floor(next() * bytes.length));
        } else if (kind < 0.6) {
          // Aimed at the fixed header's lengths and type half the time.
          const at = next() < 0.5 ? Math.floor(next() * Math.min(22, bytes.length)) : Math.floor(next() * bytes.length);
          bytes[at] = Math.floor(next() * 256);
        } else {
          // A cut frame whose lengths say it is whole: the header map or content runs short.
          const cut = bytes.slice(0, Math.max(22, Math.floor(next() * bytes.length)));
          bytes = cut;
          const head = bytes[1] === 0 ? 20 : 22;
          const at = bytes[1] === 0 ? 12 : 14;
          if (bytes.length >= head) {
            const v = new DataView(bytes.buffer);
            const cl = v.getUint16(at);
            const hl = v.getUint16(at + 2);
            const rest = bytes.length - head;
            if (cl + hl <= rest) v.setUint32(at + 4, rest - cl - hl);
            else if (cl <= rest) (v.setUint16(at + 2, rest - cl), v.setUint32(at + 4, 0));
          }
        }
      }
      tryFrame(bytes);
    }
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started}ms`);
  });

  it("every prefix of every seed needs more or is whole; never an error", () => {
    for (const seed of SEEDS) {
      for (let n = 0; n <= seed.length; n++) {
        const buf = new ByteBuffer();
        buf.append(seed.subarray(0, n));
        const length = boltCodec.frameLength(buf, 64 * 1024);
        assert.ok(length === NEED_MORE || length === seed.length);
      }
    }
  });
});
