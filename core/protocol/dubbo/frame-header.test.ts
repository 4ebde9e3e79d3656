import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import { NEED_MORE } from "../xprotocol/codec.ts";
import { detect, frameLength } from "./frame-header.ts";
import { frame } from "./test-helpers.ts";

function buffer(bytes: Uint8Array, piece = 0): ByteBuffer {
  const b = new ByteBuffer();
  if (piece <= 0) b.append(bytes);
  else for (let i = 0; i < bytes.length; i += piece) b.append(bytes.slice(i, i + piece));
  return b;
}

describe("dubbo frame header", () => {
  it("detect: yes on the magic, no on any other start, more before two bytes", () => {
    assert.equal(detect(buffer(new Uint8Array(0))), "more");
    assert.equal(detect(buffer(Uint8Array.of(0xda))), "more");
    assert.equal(detect(buffer(Uint8Array.of(0xda, 0xbb))), "yes");
    assert.equal(detect(buffer(Uint8Array.of(0xda, 0xbc))), "no");
    assert.equal(detect(buffer(Uint8Array.of(0x47))), "no", "GET: no need to wait");
    assert.equal(detect(buffer(Uint8Array.of(0xbb, 0xda))), "no");
  });

  it("frameLength: header plus body length, in any split", () => {
    const f = frame(0xc2, 0, 1, new Uint8Array(300));
    for (const piece of [0, 1, 5, 15]) assert.equal(frameLength(buffer(f, piece), 1 << 20), 316);
  });

  it("frameLength: NEED_MORE under 16 bytes", () => {
    const f = frame(0xc2, 0, 1, new Uint8Array(3));
    for (let n = 0; n < 16; n++) assert.equal(frameLength(buffer(f.subarray(0, n)), 1024), NEED_MORE);
  });

  it("frameLength: a bad magic or a frame over the limit is not replyable", () => {
    const f = frame(0xc2, 0, 1, new Uint8Array(100));
    const bad = f.slice();
    bad[1] = 0;
    for (const [bytes, max] of [[bad, 1024], [f, 115]] as const) {
      assert.throws(() => frameLength(buffer(bytes), max), (e) => e instanceof XCodecError && !e.replyable);
    }
    assert.equal(frameLength(buffer(f), 116), 116, "exactly the limit is fine");
    const huge = frame(0xc2, 0, 1, new Uint8Array(0));
    huge.fill(0xff, 12, 16);
    assert.throws(() => frameLength(buffer(huge), 1 << 30), XCodecError);
  });
});
