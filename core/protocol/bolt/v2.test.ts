import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import { writeId } from "../xprotocol/frame.ts";
import { crc32 } from "./crc32.ts";
import { boltV2Codec } from "./index.ts";
import { boltRequest, boltResponse } from "./test-helpers.ts";

const MAX = 1 << 20;

/** A v1 frame as v2 writes it: a version byte after the code, a switch after the codec, a CRC. */
function toV2(v1: Uint8Array, withCrc: boolean): Uint8Array {
  const out = new Uint8Array(v1.length + 2 + (withCrc ? 4 : 0));
  out[0] = 2;
  out[1] = withCrc ? 2 : 1;
  out.set(v1.subarray(1, 10), 2); // type, cmdcode, ver2, id, codec
  out[11] = withCrc ? 1 : 0;
  out.set(v1.subarray(10), 12);
  if (withCrc) new DataView(out.buffer).setUint32(out.length - 4, crc32(out, 0, out.length - 4));
  return out;
}

function buf(bytes: Uint8Array): ByteBuffer {
  const b = new ByteBuffer();
  b.append(bytes);
  return b;
}

function crcOk(frame: Uint8Array): boolean {
  return crc32(frame, 0, frame.length - 4) === new DataView(frame.buffer, frame.byteOffset).getUint32(frame.length - 4);
}

describe("bolt v2", () => {
  it("CRC-32 is the IEEE one (the standard check value)", () => {
    assert.equal(crc32(new TextEncoder().encode("123456789"), 0, 9), 0xcbf43926);
  });

  it("frames, decodes and detects v2 requests and responses, with and without CRC", () => {
    for (const withCrc of [false, true]) {
      const req = toV2(boltRequest({ id: 77, headers: [["service", "a.B:1.0"]] }), withCrc);
      assert.equal(boltV2Codec.frameLength(buf(req.subarray(0, 23)), MAX), -1);
      assert.equal(boltV2Codec.frameLength(buf(req), MAX), req.length);
      assert.equal(boltV2Codec.detect(buf(req)), "yes");
      const f = boltV2Codec.decode(req);
      assert.deepEqual([f.protocol, f.isRequest, f.requestId, f.idOffset, f.timeoutMs], ["boltv2", true, 77, 6, 3000]);
      assert.equal(f.get(":service"), "a.B:1.0");
      const resp = toV2(boltResponse({ id: 77, status: 4 }), withCrc);
      assert.equal(boltV2Codec.frameLength(buf(resp), MAX), resp.length);
      const r = boltV2Codec.decode(resp);
      assert.deepEqual([r.isRequest, r.status, r.get(":status")], [false, 4, "503"]);
    }
    assert.equal(boltV2Codec.detect(buf(boltRequest())), "no", "a v1 frame is not v2");
  });

  it("a frame whose CRC does not match is refused; after an id rewrite, seal makes it match again", () => {
    const req = toV2(boltRequest({ id: 5 }), true);
    const f = boltV2Codec.decode(req);
    writeId(f.bytes, f.idOffset, f.idLength, 9000);
    assert.throws(() => boltV2Codec.decode(f.bytes), (e) => e instanceof XCodecError && e.replyable);
    boltV2Codec.seal!(f.bytes);
    assert.equal(boltV2Codec.decode(f.bytes).requestId, 9000);
  });

  it("answers in the request's version: heartbeat ack and error response keep its version byte, switch and CRC", () => {
    const hb = toV2(boltRequest({ id: 3, cmd: 0, content: new Uint8Array(0), headers: [] }), true);
    const ack = boltV2Codec.heartbeatReply(boltV2Codec.decode(hb));
    assert.deepEqual([...ack.subarray(0, 12)], [2, 2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 1]);
    assert.ok(crcOk(ack));
    const err = boltV2Codec.errorResponse(toV2(boltRequest({ id: 4 }), true), 504, "late");
    const e = boltV2Codec.decode(err);
    assert.deepEqual([e.status, e.requestId], [7, 4]);
    assert.ok(crcOk(err));
    const plain = boltV2Codec.errorResponse(toV2(boltRequest({ id: 4 }), false), 504, "");
    assert.deepEqual([plain[1], plain[11], plain.length], [1, 0, 22]);
  });
});
