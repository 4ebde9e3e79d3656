import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { dubboCodec } from "./index.ts";
import { requestFrame } from "./test-helpers.ts";

describe("dubboCodec", () => {
  it("is the xprotocol codec named dubbo, with 53-bit request ids", () => {
    assert.equal(dubboCodec.name, "dubbo");
    assert.equal(dubboCodec.maxRequestId, Number.MAX_SAFE_INTEGER);
  });

  it("frames, decodes and re-encodes a request from a byte stream", () => {
    const a = requestFrame({ id: 1 });
    const b = requestFrame({ id: 2, method: "second" });
    const buf = new ByteBuffer();
    buf.append(a);
    buf.append(b.subarray(0, 20));
    buf.append(b.subarray(20));
    assert.equal(dubboCodec.detect(buf), "yes");
    const methods: string[] = [];
    while (buf.length > 0) {
      const n = dubboCodec.frameLength(buf, 1 << 20);
      const f = dubboCodec.decode(buf.take(n));
      assert.equal(f.protocol, "dubbo");
      methods.push(f.get(":rpc-method")!);
      assert.equal(dubboCodec.encode(f), f.bytes);
    }
    assert.deepEqual(methods, ["sayHello", "second"]);
  });
});
