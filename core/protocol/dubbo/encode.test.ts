import { assert, describe, it } from "../../../test/support/test-api.ts";
import { binary, hessianEncode, javaObject, long } from "../../../test/support/hessian.ts";
import { decode } from "./decode.ts";
import { encode } from "./encode.ts";
import {
  bodyLengthOf,
  DEFAULT_ATTACHMENTS,
  frame,
  type Invocation,
  readRequest,
  requestFrame,
} from "./test-helpers.ts";

const ARGS_INVOCATION: Invocation = {
  id: 0x1234567,
  descriptor: "Lcom/example/User;J[BLjava/util/Map;",
  args: [
    javaObject("com.example.User", { name: "名前 😀", age: 30 }),
    long(2 ** 40),
    binary(Uint8Array.of(1, 2, 3)),
    { k: [1, 2] },
  ],
};

/** Decodes `bytes`, lets `change` edit the view, and returns the re-encoding with hessian.js's reading of it. */
function reencode(bytes: Uint8Array, change: (f: ReturnType<typeof decode>) => void, argCount: number) {
  const f = decode(bytes);
  change(f);
  assert.equal(f.dirty, true);
  const out = encode(f);
  assert.equal(bodyLengthOf(out), out.length - 16, "length field updated");
  assert.deepEqual(out.subarray(0, 12), bytes.subarray(0, 12), "magic, flag, status and id unchanged");
  return { out, read: readRequest(out, argCount) };
}

describe("dubbo encode", () => {
  it("a clean frame is its own bytes, not a copy", () => {
    const bytes = requestFrame();
    const f = decode(bytes);
    f.set("group", "blue"); // the same value: no change
    assert.equal(f.dirty, false);
    assert.equal(encode(f), bytes);
  });

  it("a changed request: body as it was up to the attachments, which carry the change", () => {
    const bytes = requestFrame(ARGS_INVOCATION);
    const before = readRequest(bytes, 4);
    const { out, read } = reencode(bytes, (f) => {
      f.set("group", "green");
      f.add("x-added", "新 🎉");
      f.delete("timeout");
    }, 4);
    assert.deepEqual(read.fields, before.fields);
    assert.deepEqual(read.args, before.args);
    assert.deepEqual(read.attachments, {
      group: "green",
      interface: "com.example.DemoService",
      path: "com.example.DemoService",
      version: "1.0.0",
      "x-added": "新 🎉",
    });
    // The bytes up to the map are the original ones, byte for byte.
    const upToMap = requestFrame({ ...ARGS_INVOCATION, attachments: undefined }).length;
    assert.deepEqual(out.subarray(16, upToMap), bytes.subarray(16, upToMap));
    const f = decode(out);
    assert.equal(f.get("x-added"), "新 🎉");
    assert.equal(f.timeoutMs, 0);
  });

  it("derived names and pseudo-keys are not written as attachments; an attachment named like one is", () => {
    const bytes = requestFrame({ attachments: { version: "2.0.0" } });
    const { read } = reencode(bytes, (f) => {
      f.set("method", "other");
      f.set("service", "x");
      f.set(":service", "y");
      f.set("version", "3.0.0");
    }, 1);
    assert.deepEqual(read.attachments, { version: "3.0.0" });
    assert.equal(read.fields[3], "sayHello", "the body's method stays");
  });

  it("keeps spelling, writes a name once (its first value)", () => {
    const { read } = reencode(requestFrame({ attachments: { "X-Trace": "a" } }), (f) => {
      f.add("x-trace", "b");
    }, 1);
    assert.deepEqual(read.attachments, { "X-Trace": "a" });
  });

  it("a missing or null map becomes an 'H' map", () => {
    for (const attachments of [undefined, null]) {
      const { read } = reencode(requestFrame({ attachments }), (f) => f.set("group", "g"), 1);
      assert.deepEqual(read.attachments, { group: "g" });
    }
  });

  it("entries that are not string to string are kept as they were, class and ref numbering intact", () => {
    const user = javaObject("com.example.User", { name: "u", age: 1 });
    const shared = [1, 2];
    const attachments = new Map<unknown, unknown>([
      ["s", "1"],
      ["obj", user], // an instance of the class the argument defined: a back-reference to its definition
      [42, "int key"],
      ["list", shared],
      ["again", shared], // a 'Q' back-reference
      ["n", null],
    ]);
    const bytes = requestFrame({ descriptor: "Lcom/example/User;", args: [user], attachments });
    const { read } = reencode(bytes, (f) => f.set("s", "2"), 1);
    const got = read.attachments as Map<unknown, unknown> | Record<string, unknown>;
    const get = (k: unknown) => got instanceof Map ? got.get(k) : (got as Record<string, unknown>)[String(k)];
    assert.equal(get("s"), "2");
    assert.deepEqual(get("obj"), { name: "u", age: 1 });
    assert.equal(get(42), "int key");
    assert.deepEqual(get("list"), [1, 2]);
    assert.deepEqual(get("again"), [1, 2]);
    assert.equal(get("n"), null);
  });

  it("a header set over a kept entry's key follows it, so it wins", () => {
    const bytes = requestFrame({ attachments: new Map<unknown, unknown>([["n", 5]]) });
    const { read } = reencode(bytes, (f) => f.set("n", "five"), 1);
    const got = read.attachments as Record<string, unknown>;
    assert.equal(got instanceof Map ? got.get("n") : got.n, "five");
  });

  it("a typed ('M') map keeps its type", () => {
    const attachments = { $class: "com.alibaba.fastjson.JSONObject", $: { a: "1" } };
    const bytes = requestFrame({ attachments });
    const { out, read } = reencode(bytes, (f) => f.set("a", "2"), 1);
    assert.deepEqual(read.attachments, { a: "2" });
    const head = [0x4d, ...hessianEncode("com.alibaba.fastjson.JSONObject")];
    const mapAt = out.length - head.length - 5; // 'M' type, "a" "2", 'Z'
    assert.deepEqual([...out.subarray(mapAt, mapAt + head.length)], head);
    assert.equal(out.length, bytes.length, "same shape, one value changed");
  });

  it("a dirty response or event is sent as it came", () => {
    const response = decode(frame(0x02, 20, 1, Uint8Array.of(0x91, 0x4e)));
    response.set("x", "y");
    assert.equal(encode(response), response.bytes);
    const hb = decode(frame(0xe2, 0, 1, Uint8Array.of(0x4e)));
    hb.set("x", "y");
    assert.equal(encode(hb), hb.bytes);
  });

  it("the default attachments survive a change untouched", () => {
    const { read } = reencode(requestFrame(), (f) => f.set("extra", "1"), 1);
    assert.deepEqual(read.attachments, { ...DEFAULT_ATTACHMENTS, extra: "1" });
  });
});
