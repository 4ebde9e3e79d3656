import { assert, describe, it } from "../../../test/support/test-api.ts";
import { concat, equalBytes } from "../../../test/support/bytes.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { NEED_MORE } from "../xprotocol/codec.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import {
  STATUS_CODEC_EXCEPTION,
  STATUS_CONNECTION_CLOSED,
  STATUS_NO_PROCESSOR,
  STATUS_SERVER_EXCEPTION,
  STATUS_SERVER_THREADPOOL_BUSY,
  STATUS_SUCCESS,
  STATUS_TIMEOUT,
  STATUS_UNKNOWN,
} from "./constants.ts";
import { boltClassName } from "./decode.ts";
import { V1 } from "./layout.ts";
import { boltCodec } from "./index.ts";
import { boltStatusFor, httpStatusOf } from "./status.ts";
import { boltParts, boltRequest, boltResponse, headerMapBytes, SOFA_REQUEST, SOFA_RESPONSE } from "./test-helpers.ts";

const MAX = 16 * 1024 * 1024;

function buf(...chunks: Uint8Array[]): ByteBuffer {
  const b = new ByteBuffer();
  for (const c of chunks) b.append(c);
  return b;
}

function codecError(fn: () => unknown): XCodecError {
  try {
    fn();
  } catch (err) {
    if (err instanceof XCodecError) return err;
    throw err;
  }
  throw new Error("no XCodecError thrown");
}

/** Every entry of a frame's header view, pseudo-keys included, as [spelling, value]. */
function entries(f: { size: number; spellingAt(i: number): string; valueAt(i: number): string }): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < f.size; i++) out.push([f.spellingAt(i), f.valueAt(i)]);
  return out;
}

describe("bolt frameLength", () => {
  it("needs more at every prefix of a request and of a response, then gives the whole length", () => {
    for (const frame of [boltRequest(), boltResponse()]) {
      const head = frame[1] === 0 ? 20 : 22;
      for (let n = 0; n < head; n++) {
        assert.equal(boltCodec.frameLength(buf(frame.subarray(0, n)), MAX), NEED_MORE, `prefix ${n}`);
      }
      // From the fixed header on, the length is known although the body is not all in.
      for (let n = head; n <= frame.length; n++) {
        assert.equal(boltCodec.frameLength(buf(frame.subarray(0, n)), MAX), frame.length, `prefix ${n}`);
      }
    }
  });

  it("reads the lengths where each type keeps them: 22-byte request header, 20-byte response header", () => {
    const req = boltRequest({ className: "c", headers: [["k", "v"]], content: new Uint8Array(5) });
    assert.equal(boltCodec.frameLength(buf(req), MAX), 22 + 1 + 10 + 5);
    const oneway = boltRequest({ oneway: true, className: "c", headers: [], content: new Uint8Array(0) });
    assert.equal(boltCodec.frameLength(buf(oneway), MAX), 22 + 1);
    const resp = boltResponse({ className: "cc", headers: [["k", "v"]], content: new Uint8Array(7) });
    assert.equal(boltCodec.frameLength(buf(resp), MAX), 20 + 2 + 10 + 7);
    // Split across chunks of the buffer, one byte at a time.
    const b = new ByteBuffer();
    for (const byte of resp) b.append(new Uint8Array([byte]));
    assert.equal(boltCodec.frameLength(b, MAX), resp.length);
  });

  it("refuses Bolt v2, a foreign protocol byte and an unknown type, not replyable", () => {
    const v2 = boltRequest();
    v2[0] = 2;
    const e2 = codecError(() => boltCodec.frameLength(buf(v2.subarray(0, 2)), MAX));
    assert.match(e2.message, /v2/);
    assert.equal(e2.replyable, false);
    const http = new TextEncoder().encode("GET / HTTP/1.1\r\n");
    assert.equal(codecError(() => boltCodec.frameLength(buf(http), MAX)).replyable, false);
    const badType = boltRequest();
    badType[1] = 3;
    const et = codecError(() => boltCodec.frameLength(buf(badType.subarray(0, 2)), MAX));
    assert.match(et.message, /type 3/);
    assert.equal(et.replyable, false);
  });

  it("refuses a frame over the limit from its header alone; at the limit it is accepted", () => {
    const frame = boltRequest({ content: new Uint8Array(100) });
    assert.equal(boltCodec.frameLength(buf(frame), frame.length), frame.length);
    const e = codecError(() => boltCodec.frameLength(buf(frame.subarray(0, 22)), frame.length - 1));
    assert.equal(e.replyable, false);
    // A 4 GiB content length in the header is refused, not waited for.
    const huge = boltRequest();
    new DataView(huge.buffer).setUint32(18, 0xffffffff);
    assert.equal(codecError(() => boltCodec.frameLength(buf(huge.subarray(0, 22)), MAX)).replyable, false);
  });
});

describe("bolt detect", () => {
  it("says yes to a request or oneway, no to a response or another protocol, more on one byte", () => {
    assert.equal(boltCodec.detect(buf()), "more");
    assert.equal(boltCodec.detect(buf(new Uint8Array([1]))), "more");
    assert.equal(boltCodec.detect(buf(boltRequest())), "yes");
    assert.equal(boltCodec.detect(buf(boltRequest({ oneway: true }))), "yes");
    assert.equal(boltCodec.detect(buf(boltResponse())), "no");
    assert.equal(boltCodec.detect(buf(new Uint8Array([0xda, 0xbb]))), "no");
  });
});

describe("bolt decode", () => {
  it("a request: fields, header map as sent (UTF-8, empty and null values), :service and :rpc-method", () => {
    const bytes = boltRequest({
      id: 0xfffffffe,
      timeout: 1500,
      headers: [
        ["service", "com.example.Echo:1.0"],
        ["sofa_head_method_name", "echo"],
        ["Tracer-名", "值 😀"],
        ["empty", ""],
        ["nullValue", null],
      ],
    });
    const f = boltCodec.decode(bytes);
    assert.equal(f.protocol, "bolt");
    assert.equal(f.isRequest, true);
    assert.equal(f.oneway, false);
    assert.equal(f.heartbeat, false);
    assert.equal(f.requestId, 0xfffffffe);
    assert.equal(f.status, -1);
    assert.equal(f.timeoutMs, 1500);
    assert.equal(f.dirty, false);
    assert.equal(f.bytes, bytes);
    assert.deepEqual(entries(f), [
      ["service", "com.example.Echo:1.0"],
      ["sofa_head_method_name", "echo"],
      ["Tracer-名", "值 😀"],
      ["empty", ""],
      ["nullValue", ""],
      [":service", "com.example.Echo:1.0"],
      [":rpc-method", "echo"],
    ]);
    assert.equal(boltClassName(V1, bytes), SOFA_REQUEST);
  });

  it("a request without service or method has no pseudo-keys; no timeout (0 or -1) is 0", () => {
    for (const timeout of [0, -1]) {
      const f = boltCodec.decode(boltRequest({ headers: [["a", "b"]], timeout }));
      assert.deepEqual(entries(f), [["a", "b"]]);
      assert.equal(f.timeoutMs, 0);
    }
    assert.deepEqual(entries(boltCodec.decode(boltRequest({ headers: [] }))), []);
  });

  it("a oneway request", () => {
    const f = boltCodec.decode(boltRequest({ oneway: true, id: 9 }));
    assert.equal(f.isRequest, true);
    assert.equal(f.oneway, true);
    assert.equal(f.requestId, 9);
  });

  it("a response: status as given and as HTTP in :status", () => {
    for (const [status, http] of [[0, "200"], [4, "503"], [7, "504"], [16, "502"], [8, "500"]] as const) {
      const f = boltCodec.decode(boltResponse({ id: 3, status, headers: [["k", "v"]] }));
      assert.equal(f.isRequest, false);
      assert.equal(f.status, status);
      assert.equal(f.timeoutMs, 0);
      assert.equal(f.requestId, 3);
      assert.deepEqual(entries(f), [["k", "v"], [":status", http]]);
    }
    assert.equal(boltClassName(V1, boltResponse()), SOFA_RESPONSE);
  });

  it("heartbeats: a request with command 0 and its ack", () => {
    const hb = boltCodec.decode(boltCodec.heartbeat(77));
    assert.equal(hb.heartbeat, true);
    assert.equal(hb.isRequest, true);
    assert.equal(hb.oneway, false);
    assert.equal(hb.requestId, 77);
    assert.equal(hb.timeoutMs, 0);
    const ack = boltCodec.decode(boltCodec.heartbeatReply(hb));
    assert.equal(ack.heartbeat, true);
    assert.equal(ack.isRequest, false);
    assert.equal(ack.requestId, 77);
    assert.equal(ack.status, 0);
  });

  it("an unknown command code is an error, replyable only on a two-way request", () => {
    const req = boltRequest();
    req[3] = 3;
    assert.equal(codecError(() => boltCodec.decode(req)).replyable, true);
    const oneway = boltRequest({ oneway: true });
    oneway[3] = 3;
    assert.equal(codecError(() => boltCodec.decode(oneway)).replyable, false);
    const resp = boltResponse();
    resp[3] = 3;
    assert.equal(codecError(() => boltCodec.decode(resp)).replyable, false);
  });

  it("a corrupt header map is an XCodecError, replyable for a two-way request only: a oneway is never answered", () => {
    const corrupt = [
      new Uint8Array([0, 0, 0]), // a length cut short
      new Uint8Array([0, 0, 0, 9, 0x61]), // an entry past the header's end
      concat([headerMapBytes([["k", "v"]]), new Uint8Array([0, 0, 0, 1])]), // a key without its value
      new Uint8Array([0, 0, 0, 1, 0xff, 0, 0, 0, 0]), // a key that is not UTF-8
    ];
    for (const headerBytes of corrupt) {
      assert.equal(codecError(() => boltCodec.decode(boltRequest({ headerBytes }))).replyable, true);
      assert.equal(codecError(() => boltCodec.decode(boltRequest({ headerBytes, oneway: true }))).replyable, false);
      assert.equal(codecError(() => boltCodec.decode(boltResponse({ headerBytes }))).replyable, false);
    }
  });
});

describe("bolt encode", () => {
  it("a clean frame is its own bytes", () => {
    const bytes = boltRequest();
    const f = boltCodec.decode(bytes);
    f.set("service", "com.example.Echo:1.0"); // the same value: not a change
    assert.equal(f.dirty, false);
    assert.equal(boltCodec.encode(f), bytes);
  });

  const cases: Array<[string, (f: ReturnType<typeof boltCodec.decode>) => void, string[][]]> = [
    ["added", (f) => f.add("x-added", "新"), [["service", "s:1"], ["keep", "k"], ["x-added", "新"]]],
    ["changed", (f) => f.set("keep", "changed"), [["service", "s:1"], ["keep", "changed"]]],
    ["removed", (f) => f.delete("keep"), [["service", "s:1"]]],
  ];
  for (const [what, change, want] of cases) {
    for (const oneway of [false, true]) {
      it(`a header ${what} (${oneway ? "oneway" : "two-way"}): decodes back with the change, the rest byte-identical`, () => {
        const bytes = boltRequest({
          id: 42,
          oneway,
          timeout: 900,
          className: "com.example.Cls",
          headers: [["service", "s:1"], ["keep", "k"]],
          content: new Uint8Array([0, 1, 2, 250, 255]),
        });
        const f = boltCodec.decode(bytes);
        change(f);
        assert.equal(f.dirty, true);
        const out = boltCodec.encode(f);
        const back = boltCodec.decode(out);
        assert.deepEqual(entries(back).filter(([k]) => !k.startsWith(":")), want);
        const a = boltParts(bytes), b = boltParts(out);
        assert.ok(equalBytes(out.subarray(0, 16), bytes.subarray(0, 16)), "fixed header up to the header length");
        assert.ok(equalBytes(out.subarray(18, 22), bytes.subarray(18, 22)), "content length");
        assert.ok(equalBytes(b.className, a.className));
        assert.ok(equalBytes(b.content, a.content));
        assert.equal(back.requestId, 42);
        assert.equal(back.timeoutMs, 900);
        assert.equal(back.oneway, oneway);
        assert.equal(out.length, bytes.length - a.header.length + b.header.length);
        // The input frame was not written into.
        assert.ok(equalBytes(
          bytes,
          boltRequest({
            id: 42,
            oneway,
            timeout: 900,
            className: "com.example.Cls",
            headers: [["service", "s:1"], ["keep", "k"]],
            content: new Uint8Array([0, 1, 2, 250, 255]),
          }),
        ));
      });
    }
  }

  it("a response re-encoded: its 20-byte fixed header kept, :status not written", () => {
    const bytes = boltResponse({ id: 5, status: 7, headers: [["a", "1"]], content: new Uint8Array([9, 9]) });
    const f = boltCodec.decode(bytes);
    f.set("a", "2");
    const out = boltCodec.encode(f);
    const back = boltCodec.decode(out);
    assert.deepEqual(entries(back), [["a", "2"], [":status", "504"]]);
    assert.ok(equalBytes(out.subarray(0, 14), bytes.subarray(0, 14)));
    assert.ok(equalBytes(boltParts(out).content, new Uint8Array([9, 9])));
  });

  it("a null value re-encodes as an empty string", () => {
    const f = boltCodec.decode(boltRequest({ headers: [["n", null]] }));
    f.add("x", "y");
    assert.ok(equalBytes(boltParts(boltCodec.encode(f)).header, headerMapBytes([["n", ""], ["x", "y"]])));
  });
});

describe("bolt frames the proxy makes", () => {
  it("heartbeat: field by field", () => {
    const hb = boltCodec.heartbeat(0x01020304);
    assert.deepEqual(
      [...hb],
      [1, 1, 0, 0, 1, 1, 2, 3, 4, 1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0],
    );
  });

  it("heartbeat reply: a response with command 0, the request's id and codec, status success, no body", () => {
    const req = boltRequest({ cmd: 0, id: 0xa0b0c0d0, headers: [], content: new Uint8Array(0), className: "" });
    req[9] = 11; // another serializer: echoed
    const ack = boltCodec.heartbeatReply(boltCodec.decode(req));
    assert.deepEqual([...ack], [1, 0, 0, 0, 1, 0xa0, 0xb0, 0xc0, 0xd0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("error response: a response with command 2, the request's id and codec, the mapped status", () => {
    const req = boltRequest({ id: 0x11223344 });
    for (const [http, status] of [[502, 6], [504, 7], [400, 9], [503, 4], [404, 6], [403, 2], [500, 3]]) {
      const out = boltCodec.errorResponse(req, http!, "");
      assert.deepEqual([...out], [1, 0, 0, 2, 1, 0x11, 0x22, 0x33, 0x44, 1, 0, status!, 0, 0, 0, 0, 0, 0, 0, 0]);
    }
    // With a reason, the content is a hessian2 RpcServerException whose detailMessage is it
    // (byte layout as sofa-hessian-node writes it; sofa-rpc-node raising it is tested end to end).
    const out = boltCodec.errorResponse(req, 503, "no route");
    assert.deepEqual([...out.subarray(0, 16)], [1, 0, 0, 2, 1, 0x11, 0x22, 0x33, 0x44, 1, 0, 4, 0, 0, 0, 0]);
    const content = out.subarray(20);
    assert.equal(new DataView(out.buffer, out.byteOffset).getUint32(16), content.length);
    const cls = "com.alipay.remoting.rpc.exception.RpcServerException";
    assert.deepEqual([...content.subarray(0, 3)], [0x4f, 0xc8, cls.length]);
    assert.equal(new TextDecoder().decode(content.subarray(3, 3 + cls.length)), cls);
    const tail = String.fromCharCode(...content.subarray(3 + cls.length));
    assert.equal(tail, "\x92\x0ddetailMessage\x0astackTraceo\x90\x08no routeN");
    // Of a request whose body could not be read: only its fixed header is used.
    const corrupt = boltRequest({ id: 6, headerBytes: new Uint8Array([0, 0, 0]) });
    assert.equal(boltParts(boltCodec.errorResponse(corrupt, 400, "bad")).status, STATUS_CODEC_EXCEPTION);
  });
});

describe("bolt status mapping", () => {
  it("HTTP to Bolt for the proxy's own replies (MOSN's Mapping)", () => {
    assert.equal(boltStatusFor(400), STATUS_CODEC_EXCEPTION);
    assert.equal(boltStatusFor(403), STATUS_SERVER_EXCEPTION);
    assert.equal(boltStatusFor(404), STATUS_NO_PROCESSOR);
    assert.equal(boltStatusFor(502), STATUS_NO_PROCESSOR);
    assert.equal(boltStatusFor(503), STATUS_SERVER_THREADPOOL_BUSY);
    assert.equal(boltStatusFor(504), STATUS_TIMEOUT);
    assert.equal(boltStatusFor(500), STATUS_UNKNOWN);
    assert.equal(boltStatusFor(429), STATUS_UNKNOWN);
  });

  it("Bolt to HTTP for retries and stats (MOSN's BoltStatusMapping)", () => {
    assert.equal(httpStatusOf(STATUS_SUCCESS), 200);
    assert.equal(httpStatusOf(STATUS_SERVER_THREADPOOL_BUSY), 503);
    assert.equal(httpStatusOf(STATUS_TIMEOUT), 504);
    assert.equal(httpStatusOf(STATUS_CONNECTION_CLOSED), 502);
    for (
      const s of [1, STATUS_SERVER_EXCEPTION, STATUS_UNKNOWN, 5, STATUS_NO_PROCESSOR, 8, STATUS_CODEC_EXCEPTION, 17]
    ) {
      assert.equal(httpStatusOf(s), 500, `status ${s}`);
    }
  });
});
