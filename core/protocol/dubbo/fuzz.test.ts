import { assert, describe, it } from "../../../test/support/test-api.ts";
import { binary, javaObject, long } from "../../../test/support/hessian.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import { decode } from "./decode.ts";
import { encode } from "./encode.ts";
import { requestFrame } from "./test-helpers.ts";

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
  requestFrame(),
  requestFrame({
    descriptor: "Lcom/example/User;[Ljava/lang/String;JLjava/util/Map;[B",
    args: [
      javaObject("com.example.User", { name: "名 😀", tags: ["a", "b"], friend: javaObject("com.example.User", {}) }),
      { $class: "[java.lang.String", $: ["x", "y", "z"] },
      long(2 ** 50),
      { nested: { deeper: [1, [2, [3, null]]] }, when: new Date(0) },
      binary(new Uint8Array(40).fill(3)),
    ],
    attachments: new Map<unknown, unknown>([["k", "v"], ["n", 1], ["o", javaObject("com.example.User", {})]]),
  }),
];

/** Decodes `bytes`: a frame or an XCodecError, nothing else; a decoded request re-encodes after a change. */
function tryDecode(bytes: Uint8Array): void {
  try {
    const f = decode(bytes);
    if (f.isRequest) {
      f.set("fuzz", "1");
      encode(f);
    }
  } catch (e) {
    if (!(e instanceof XCodecError)) throw e;
  }
}

describe("dubbo decode under mutation", () => {
  it("random byte flips, insertions and cuts throw nothing but XCodecError, quickly", () => {
    const next = random(0x5eed);
    const started = Date.now();
    for (let round = 0; round < 4000; round++) {
      const seed = SEEDS[round % SEEDS.length]!;
      let body = seed.slice(16);
      const edits = 1 + Math.floor(next() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * body.length);
        const kind = next();
        if (kind < 0.5) body[at] = Math.floor(next() * 256);
        else if (kind < 0.7) body = body.slice(0, at);
        else {
          const grown = new Uint8Array(body.length + 1);
          grown.set(body.subarray(0, at));
          grown[at] = Math.floor(next() * 256);
          grown.set(body.subarray(at), at + 1);
          body = grown;
        }
      }
      const frame = new Uint8Array(16 + body.length);
      frame.set(seed.subarray(0, 12));
      new DataView(frame.buffer).setUint32(12, body.length);
      frame.set(body, 16);
      if (next() < 0.1) frame[2] = Math.floor(next() * 256); // the flag too, now and then
      tryDecode(frame);
    }
    assert.ok(Date.now() - started < 10_000, "4000 mutated frames in under 10 s");
  });

  it("every truncation of a valid body, with the length fixed up", () => {
    for (const seed of SEEDS) {
      for (let n = 16; n <= seed.length; n++) {
        const cut = seed.slice(0, n);
        new DataView(cut.buffer).setUint32(12, n - 16);
        tryDecode(cut);
      }
    }
  });

  it("hostile counts and lengths fail fast without allocating for them", () => {
    const started = Date.now();
    const bodies = [
      [0x58, 0x49, 0x7f, 0xff, 0xff, 0xff], // a list claiming 2^31-1 items
      [0x53, 0xff, 0xff], // a string chunk claiming 65535 chars
      [0x43, 0x01, 0x61, 0x49, 0x7f, 0xff, 0xff, 0xff], // a class claiming 2^31-1 fields
      new Array(10_000).fill(0x79), // one-item lists nested 10 000 deep
    ];
    for (const tail of bodies) {
      const head = requestFrame({ descriptor: "Ljava/lang/Object;", args: [], attachments: undefined });
      const frame = new Uint8Array(head.length + tail.length);
      frame.set(head);
      frame.set(tail, head.length);
      new DataView(frame.buffer).setUint32(12, frame.length - 16);
      assert.throws(() => decode(frame), (e) => e instanceof XCodecError && e.replyable);
    }
    assert.ok(Date.now() - started < 1000);
  });
});
