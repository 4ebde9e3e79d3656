import { assert, describe, it } from "../../../test/support/test-api.ts";
import { hessianDecodeAll } from "../../../test/support/hessian.ts";
import { decode } from "./decode.ts";
import { errorResponse, heartbeat, heartbeatReply } from "./replies.ts";
import { bodyLengthOf, requestFrame } from "./test-helpers.ts";

const idOf = (b: Uint8Array): bigint => new DataView(b.buffer, b.byteOffset).getBigUint64(4);

describe("dubbo replies", () => {
  it("heartbeat: a two-way hessian2 event request with a null body", () => {
    const b = heartbeat(2 ** 40 + 5);
    assert.deepEqual([...b.subarray(0, 4)], [0xda, 0xbb, 0xe2, 0]);
    assert.equal(idOf(b), BigInt(2 ** 40 + 5));
    assert.equal(bodyLengthOf(b), 1);
    assert.equal(b[16], 0x4e);
    const f = decode(b);
    assert.equal(f.heartbeat, true);
    assert.equal(f.oneway, false);
    assert.equal(f.requestId, 2 ** 40 + 5);
  });

  it("heartbeatReply: an OK event response with the request's id and a null body", () => {
    const request = decode(heartbeat(77));
    const b = heartbeatReply(request);
    assert.deepEqual([...b.subarray(0, 4)], [0xda, 0xbb, 0x22, 20]);
    assert.equal(idOf(b), 77n);
    assert.equal(bodyLengthOf(b), 1);
    assert.equal(b[16], 0x4e);
    const f = decode(b);
    assert.equal(f.isRequest, false);
    assert.equal(f.heartbeat, true);
    assert.equal(f.get(":status"), "200");
  });

  it("errorResponse: request's id, status mapped as MOSN maps it, message as a hessian2 string", () => {
    const cases: [number, number][] = [
      [403, 80],
      [404, 60],
      [500, 70],
      [502, 60],
      [503, 40],
      [504, 30],
      [509, 40],
      [400, 70],
      [200, 70],
    ];
    const request = requestFrame({ id: 991 });
    for (const [http, status] of cases) {
      const b = errorResponse(request, http, `no route: ${http}`);
      assert.deepEqual([...b.subarray(0, 4)], [0xda, 0xbb, 0x02, status], String(http));
      assert.equal(idOf(b), 991n);
      assert.equal(bodyLengthOf(b), b.length - 16);
      assert.deepEqual(hessianDecodeAll(b.subarray(16)), [`no route: ${http}`]);
    }
  });

  it("errorResponse: any id, even past 2^53, and any message", () => {
    const request = requestFrame();
    request.set([0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88], 4);
    const message = "上游不可用 😀 " + "x".repeat(70_000);
    const b = errorResponse(request, 502, message);
    assert.deepEqual([...b.subarray(4, 12)], [0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88]);
    assert.deepEqual(hessianDecodeAll(b.subarray(16)), [message]);
    const f = decode(b);
    assert.equal(f.status, 60);
    assert.equal(f.get(":status"), "404");
  });

  it("errorResponse: a request whose body is not hessian2 still gets a readable answer", () => {
    const request = requestFrame({ serialization: 6 });
    const b = errorResponse(request, 500, "serialization 6 not supported");
    assert.equal(b[2], 0x02, "the flag names the body's serialization");
    assert.deepEqual(hessianDecodeAll(b.subarray(16)), ["serialization 6 not supported"]);
  });
});
