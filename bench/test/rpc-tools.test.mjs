// The RPC load generator's and upstream's frames and parsing: hessian2 strings, the Bolt and Dubbo
// layouts, frames cut across chunks or packed many to a chunk, id matching, heartbeats, the
// histogram, and both tools run against each other for a moment.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  bolt,
  boltHeartbeat,
  boltRequest,
  boltResponse,
  dubbo,
  dubboHeartbeat,
  dubboRequest,
  dubboResponse,
  FrameSplitter,
  hessianString,
} from "../lib/rpc-frames.mjs";
import { LatencyHistogram, Pipeline, Responder } from "../lib/rpc-peers.mjs";

const BENCH = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every frame found when `bytes` arrive cut at `cuts` (offsets), as [offset in bytes, length]. */
function split(codec, bytes, cuts) {
  const frames = [];
  let consumed = 0;
  const splitter = new FrameSplitter(codec, (b, o, len) => {
    frames.push(b.subarray(o, o + len));
  });
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    assert.ok(splitter.feed(bytes.subarray(at, cut)));
    at = cut;
  }
  for (const f of frames) consumed += f.length;
  return { frames, consumed, pending: splitter.pending };
}

describe("hessian2 strings", () => {
  it("writes a short string as one length byte and its UTF-8", () => {
    assert.deepEqual([...hessianString("2.0.2")], [5, 0x32, 0x2e, 0x30, 0x2e, 0x32]);
    assert.deepEqual([...hessianString("")], [0]);
  });
  it("writes 32 to 1023 characters with a two-byte length", () => {
    const s = "x".repeat(300);
    const b = hessianString(s);
    assert.deepEqual([...b.subarray(0, 2)], [0x31, 300 & 0xff]);
    assert.equal(b.length, 302);
    assert.throws(() => hessianString("x".repeat(1024)), RangeError);
  });
});

describe("Bolt frames", () => {
  it("lays out a request: 22-byte header, lengths at 14, 16, 18, the service in the header map", () => {
    const f = boltRequest({ id: 0x01020304 });
    assert.deepEqual([...f.subarray(0, 5)], [1, 1, 0, 1, 1]);
    assert.equal(f.readUInt32BE(5), 0x01020304);
    assert.equal(f[9], 1);
    assert.equal(f.readUInt32BE(10), 3000);
    const cls = f.readUInt16BE(14), hdr = f.readUInt16BE(16), content = f.readUInt32BE(18);
    assert.equal(f.toString("latin1", 22, 22 + cls), "com.alipay.sofa.rpc.core.request.SofaRequest");
    assert.equal(content, 100);
    assert.equal(f.length, 22 + cls + hdr + content);
    const map = f.subarray(22 + cls, 22 + cls + hdr);
    assert.equal(map.readUInt32BE(0), 7);
    assert.equal(map.toString("latin1", 4, 11), "service");
    assert.equal(map.readUInt32BE(11), "com.alipay.test.TestService:1.0".length);
    assert.ok(map.toString("latin1").endsWith("sofa_head_method_name\0\0\0\x04echo"));
    assert.equal(bolt.frameLength(f, 0, f.length), f.length);
  });
  it("lays out a response: 20-byte header, status at 10, lengths at 12, 14, 16", () => {
    const f = boltResponse({ id: 7, status: 0 });
    assert.deepEqual([...f.subarray(0, 4)], [1, 0, 0, 2]);
    assert.equal(bolt.readId(f, 0), 7);
    assert.ok(bolt.isOk(f, 0));
    assert.ok(!bolt.isOk(boltResponse({ status: 0x10 }), 0));
    const cls = f.readUInt16BE(12);
    assert.equal(f.toString("latin1", 20, 20 + cls), "com.alipay.sofa.rpc.core.response.SofaResponse");
    assert.equal(f.length, 20 + cls + f.readUInt16BE(14) + f.readUInt32BE(16));
    assert.equal(bolt.frameLength(f, 0, f.length), f.length);
  });
  it("needs the whole header before it knows a length, and refuses other bytes", () => {
    const f = boltRequest();
    assert.equal(bolt.frameLength(f, 0, 21), 0);
    assert.equal(bolt.frameLength(f, 0, 1), 0);
    assert.equal(bolt.frameLength(Buffer.from("GET / HTTP/1.1\r\n"), 0, 16), -1);
  });
});

describe("Dubbo frames", () => {
  it("lays out a request: magic, flag 0xc2, u64 id, body length, then the hessian2 body", () => {
    const f = dubboRequest({ id: 2 ** 32 * 3 + 9 });
    assert.deepEqual([...f.subarray(0, 4)], [0xda, 0xbb, 0xc2, 0]);
    assert.equal(dubbo.readId(f, 0), 2 ** 32 * 3 + 9);
    assert.equal(f.readUInt32BE(12), f.length - 16);
    const body = f.subarray(16).toString("latin1");
    assert.ok(body.startsWith("\x052.0.2\x1bcom.alipay.test.TestService\x051.0.0\x08sayHello\x12Ljava/lang/String;"));
    assert.ok(body.includes("H\x04path\x1bcom.alipay.test.TestService"));
    assert.ok(body.endsWith("Z"));
  });
  it("lays out a response: status 20, RESPONSE_VALUE then a string", () => {
    const f = dubboResponse({ id: 5 });
    assert.deepEqual([...f.subarray(0, 4)], [0xda, 0xbb, 0x02, 20]);
    assert.equal(f[16], 0x91);
    assert.equal(f.toString("latin1", 18), "hello, world");
    assert.ok(dubbo.isOk(f, 0));
    assert.ok(!dubbo.isOk(dubboResponse({ status: 70 }), 0));
  });
});

for (
  const [codec, request, response, heartbeat] of [
    [bolt, boltRequest, boltResponse, boltHeartbeat],
    [dubbo, dubboRequest, dubboResponse, dubboHeartbeat],
  ]
) {
  describe(`${codec.name}: FrameSplitter`, () => {
    const frames = [request({ id: 1 }), heartbeat(2), request({ id: 3 }), response({ id: 4 })];
    const all = Buffer.concat(frames);
    it("finds many frames in one chunk", () => {
      const r = split(codec, all, []);
      assert.deepEqual(r.frames.map((f) => codec.readId(f, 0)), [1, 2, 3, 4]);
      assert.equal(r.pending, 0);
    });
    it("finds frames cut at every byte, and holds what is incomplete", () => {
      const cuts = Array.from({ length: all.length - 1 }, (_, i) => i + 1);
      const r = split(codec, all, cuts);
      assert.deepEqual(r.frames.map((f) => Buffer.from(f)), frames);
      const partial = split(codec, all.subarray(0, all.length - 3), [5, 40]);
      assert.equal(partial.frames.length, 3);
      assert.equal(partial.pending, frames[3].length - 3);
    });
    it("stops on bytes that are not the protocol", () => {
      const s = new FrameSplitter(codec, () => assert.fail("no frame expected"));
      assert.equal(s.feed(Buffer.from("\x00\x00garbage that is long enough")), false);
    });
  });

  describe(`${codec.name}: Responder`, () => {
    it("answers each request with the response, its id copied, all in one buffer", () => {
      const r = new Responder(codec);
      const chunk = Buffer.concat([request({ id: 11 }), request({ id: 12 }), heartbeat(13), request({ id: 14 })]);
      // Cut inside the third frame: two answers now, two with the rest.
      const cut = request().length * 2 + 5;
      const first = r.answer(chunk.subarray(0, cut));
      const second = r.answer(chunk.subarray(cut));
      const ids = (buf) => split(codec, buf, []).frames.map((f) => [codec.readId(f, 0), codec.isHeartbeat(f, 0)]);
      assert.deepEqual(ids(first), [[11, false], [12, false]]);
      assert.deepEqual(ids(second), [[13, true], [14, false]]);
      for (const f of split(codec, Buffer.concat([first, second]), []).frames) {
        assert.ok(!codec.isRequest(f, 0));
        assert.ok(codec.isOk(f, 0));
      }
      assert.deepEqual(r.stats, { requests: 3, heartbeats: 1, oneway: 0, unexpected: 0 });
      assert.equal(r.answer(Buffer.alloc(0)), null);
    });
    it("answers a heartbeat with a heartbeat", () => {
      const out = new Responder(codec).answer(heartbeat(99));
      assert.deepEqual(Buffer.from(out), Buffer.from(codec.heartbeatResponse(99)));
      assert.equal(codec.isHeartbeat(out, 0), true);
    });
  });

  describe(`${codec.name}: Pipeline`, () => {
    const base = codec.name === "bolt" ? 3 * 2 ** 24 : 4 * 2 ** 32;
    const range = codec.name === "bolt" ? 2 ** 24 : 2 ** 32;
    it("keeps N in flight, writes frames from its ring and matches answers by id, in any order", () => {
      const p = new Pipeline(codec, request(), 4, base, range);
      const writes = [];
      assert.equal(p.send(10, 1.0, (b) => writes.push(Buffer.from(b))), 4);
      assert.equal(p.outstanding, 4);
      assert.equal(writes.length, 1);
      const sent = split(codec, writes[0], []).frames.map((f) => codec.readId(f, 0));
      assert.equal(new Set(sent).size, 4);
      // Answers out of order, one stray id, then a repeated one.
      const at = 3.5;
      assert.equal(p.complete(response({ id: sent[2] }), 0, at), 2.5);
      assert.equal(p.complete(response({ id: sent[0] }), 0, at), 2.5);
      assert.equal(p.complete(response({ id: base + 12345 }), 0, at), -1);
      assert.equal(p.complete(response({ id: 1 }), 0, at), -1);
      assert.equal(p.complete(response({ id: sent[0] }), 0, at), -1);
      assert.equal(p.outstanding, 2);
      // Two freed slots: the next batch wraps around the ring, in two writes.
      writes.length = 0;
      assert.equal(p.send(2, 4.0, (b) => writes.push(Buffer.from(b))), 2);
      const more = writes.flatMap((w) => split(codec, w, []).frames.map((f) => codec.readId(f, 0)));
      assert.equal(more.length, 2);
      assert.equal(new Set([...more, sent[1], sent[3]]).size, 4, "fresh ids never collide with those in flight");
      assert.equal(p.oldestSentAt(), 1.0);
      for (const id of [sent[1], sent[3], ...more]) assert.ok(p.complete(response({ id }), 0, 5) >= 0);
      assert.equal(p.outstanding, 0);
      assert.equal(p.oldestSentAt(), Infinity);
    });
    it("wraps its ids within its range and still matches them", () => {
      const p = new Pipeline(codec, request(), 2, base, 6); // 3 generations of 2 slots
      for (let i = 0; i < 10; i++) {
        let id = -1;
        p.send(1, i, (b) => {
          id = codec.readId(b, 0);
        });
        assert.ok(id >= base && id < base + 6, `id ${id} in range`);
        assert.equal(p.complete(response({ id }), 0, i + 1), 1);
      }
    });
  });
}

describe("LatencyHistogram", () => {
  it("is exact below 256 µs and within 1% above, with bounded memory", () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 100_000; v++) h.record(v);
    assert.equal(h.count, 100_000);
    assert.equal(h.counts.length, 3200);
    for (const q of [0.5, 0.9, 0.99]) {
      const want = q * 100_000;
      assert.ok(Math.abs(h.quantile(q) - want) / want < 0.01, `q${q}: ${h.quantile(q)} vs ${want}`);
    }
    const small = new LatencyHistogram();
    for (const v of [10, 20, 30, 40]) small.record(v);
    assert.equal(small.quantile(0.5), 20);
    assert.equal(small.quantile(0.99), 40);
    assert.equal(new LatencyHistogram().quantile(0.5), null);
    const huge = new LatencyHistogram();
    huge.record(1e12);
    assert.equal(huge.quantile(1), 1e12); // capped at the recorded max, not the last bucket
  });
});

/** Runs a script to its end (at most 15 s), resolves with its stdout. */
function run(args, onLine) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      out += d;
      onLine?.(out, child);
    });
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

describe("rpc-loadgen.mjs against rpc-upstream.mjs", () => {
  for (const protocol of ["bolt", "dubbo"]) {
    it(`${protocol}: answers every request, no error, the upstream counts the connections`, async () => {
      let upstream;
      const port = await new Promise((resolve, reject) => {
        run([join(BENCH, "rpc-upstream.mjs"), protocol], (out, child) => {
          upstream = child;
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        }).then((out) => reject(new Error(`upstream exited: ${out}`)));
      });
      try {
        const out = await run([
          join(BENCH, "rpc-loadgen.mjs"),
          "127.0.0.1",
          String(port),
          protocol,
          "3",
          "16",
          "5",
          "20000",
        ]);
        const r = JSON.parse(out.trim().split("\n").pop());
        assert.equal(r.requests, 20_000, "stops at MAX_REQUESTS, all answered");
        assert.ok(r.rps > 0 && r.p50Ms > 0 && r.p99Ms >= r.p50Ms);
        assert.deepEqual(r.errors, { connect: 0, read: 0, timeout: 0, status: 0, unknownId: 0, protocol: 0 });
        assert.equal(r.connectionsOpened, 3);
      } finally {
        upstream.kill("SIGTERM");
      }
    });
  }
});
