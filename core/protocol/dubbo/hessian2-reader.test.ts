import { assert, describe, it } from "../../../test/support/test-api.ts";
import { binary, double, hessianEncode, javaObject, long } from "../../../test/support/hessian.ts";
import { Hessian2Error, Hessian2Reader, type HessianValue, MAX_DEPTH } from "./hessian2-reader.ts";

/** A reader over `bytes`. */
function over(bytes: Uint8Array): Hessian2Reader {
  const r = new Hessian2Reader();
  r.reset(bytes, 0, bytes.length);
  return r;
}

/** Reads `value` back as hessian.js wrote it, and checks skip ends where the value does. */
function roundTrip(value: unknown): HessianValue {
  const bytes = hessianEncode(value, "after");
  const skipped = over(bytes);
  skipped.skip();
  assert.equal(skipped.readString(), "after", "skip stops at the value's end");
  const r = over(bytes);
  const v = r.readValue();
  assert.equal(r.readString(), "after");
  assert.ok(r.atEnd);
  return v;
}

const u8 = (...b: number[]) => Uint8Array.from(b);

describe("Hessian2Reader: strings", () => {
  const cases: [string, string][] = [
    ["empty", ""],
    ["short", "com.example.DemoService"],
    ["31 chars, the last short form", "a".repeat(31)],
    ["32 chars, medium form", "b".repeat(32)],
    ["1023 chars, the last medium form", "c".repeat(1023)],
    ["1024 chars, 'S' form", "d".repeat(1024)],
    ["two-byte UTF-8", "héllo wörld"],
    ["three-byte UTF-8", "中文服务名"],
    ["emoji: a surrogate pair as two 3-byte sequences", "hi 😀 there 🎉"],
    ["a lone surrogate survives", "x\ud800y"],
    ["0x8000 chars: one 'S' chunk", "e".repeat(0x8000)],
    ["chunked: 'R' then a short final chunk", "f".repeat(0x8000 + 5)],
    ["chunked three times, non-ASCII", "ü".repeat(0x8000 * 2 + 40)],
    ["a pair at the chunk boundary is not split", "g".repeat(0x7fff) + "😀" + "h".repeat(10)],
  ];
  for (const [name, s] of cases) {
    it(name, () => {
      assert.equal(roundTrip(s), s);
      const r = over(hessianEncode(s));
      const n = r.readChars();
      assert.equal(n, s.length, "counted in UTF-16 units");
      for (let i = 0; i < n; i++) assert.equal(r.charBuffer[i], s.charCodeAt(i));
    });
  }

  it("null reads as null, -1 chars", () => {
    assert.equal(over(u8(0x4e)).readString(), null);
    assert.equal(over(u8(0x4e)).readChars(), -1);
  });

  it("a 4-byte UTF-8 sequence (non-Java writers) counts as the two units of its pair", () => {
    assert.equal(over(u8(0x03, 0x61, 0xf0, 0x9f, 0x98, 0x80)).readString(), "a😀");
    const r = over(u8(0x03, 0xf0, 0x9f, 0x98, 0x80, 0x62, 0x4e));
    r.skip();
    assert.equal(r.readValue(), null);
  });

  it("refuses a non-string, bad UTF-8, and a length past the bytes", () => {
    assert.throws(() => over(u8(0x91)).readString(), Hessian2Error);
    assert.throws(() => over(u8(0x01, 0xff)).readString(), Hessian2Error);
    assert.throws(() => over(u8(0x01, 0x80)).readString(), Hessian2Error);
    assert.throws(() => over(u8(0x53, 0xff, 0xff, 0x61)).readString(), /truncated/);
    assert.throws(() => over(u8(0x02, 0xe4, 0xb8)).readString(), /truncated/);
    // A non-final chunk must be followed by another string chunk.
    assert.throws(() => over(u8(0x52, 0x00, 0x01, 0x61, 0x91)).readString(), Hessian2Error);
  });
});

describe("Hessian2Reader: numbers, booleans, null, dates, binary", () => {
  it("ints in every compact form and at each boundary", () => {
    for (
      const n of [
        0,
        1,
        -16,
        47,
        -17,
        48,
        -2048,
        2047,
        -2049,
        2048,
        -262144,
        262143,
        -262145,
        262144,
        2 ** 31 - 1,
        -(2 ** 31),
      ]
    ) assert.equal(roundTrip(n), n, String(n));
  });

  it("longs in every compact form, as 'Y' and as 'L'; past 2^53 a bigint", () => {
    for (
      const n of [0, -8, 15, -9, 16, -2048, 2047, -2049, 2048, -262144, 262143, -262145, 262144, 2 ** 31 - 1, 2 ** 40]
    ) {
      assert.equal(roundTrip(long(n)), n, String(n));
    }
    assert.equal(roundTrip(long("9007199254740993")), 9007199254740993n);
    assert.equal(roundTrip(long("-9223372036854775808")), -9223372036854775808n);
  });

  it("doubles: 0.0, 1.0, byte, short, milli and full forms", () => {
    for (const n of [0, 1, -128, 127, -32768, 32767, 12.25, 0.001, -3.5, 1e300, Math.PI, 2 ** 40 + 0.5]) {
      assert.equal(roundTrip(double(n)), n, String(n));
    }
    const nan = over(u8(0x44, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0)).readValue();
    assert.ok(Number.isNaN(nan));
  });

  it("booleans and null", () => {
    assert.equal(roundTrip(true), true);
    assert.equal(roundTrip(false), false);
    assert.equal(roundTrip(null), null);
  });

  it("dates in minutes ('K') and milliseconds ('J')", () => {
    for (const t of [Date.UTC(2024, 0, 2, 3, 4), Date.UTC(2024, 0, 2, 3, 4, 5, 678), 0, -86_400_000]) {
      assert.deepEqual(roundTrip(new Date(t)), new Date(t));
    }
  });

  it("binary: short, medium, 'B' and chunked 'A'", () => {
    for (const size of [0, 15, 16, 1023, 1024, 4093, 4094, 20_000]) {
      const b = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 0xff);
      assert.deepEqual(roundTrip(binary(b)), b, String(size));
    }
  });
});

describe("Hessian2Reader: lists, maps, objects, refs", () => {
  it("untyped fixed lists, compact and 'X'", () => {
    assert.deepEqual(roundTrip([1, "two", null, true]), [1, "two", null, true]);
    const long = Array.from({ length: 20 }, (_, i) => i * 1000);
    assert.deepEqual(roundTrip(long), long);
  });

  it("typed fixed lists, compact and 'V', with a type reference for the second", () => {
    const a = { $class: "[java.lang.String", $: ["x", "y"] };
    const b = { $class: "[java.lang.String", $: Array.from({ length: 9 }, (_, i) => `s${i}`) };
    assert.deepEqual(roundTrip([a, b]), [["x", "y"], b.$]);
  });

  it("variable-length lists, typed 'U' and untyped 'W'", () => {
    // 0x55 type "t" 1 2 'Z', 0x57 3 'Z'
    const r = over(u8(0x55, 0x01, 0x74, 0x91, 0x92, 0x5a, 0x57, 0x93, 0x5a));
    assert.deepEqual(r.readValue(), [1, 2]);
    assert.deepEqual(r.readValue(), [3]);
  });

  it("untyped 'H' and typed 'M' maps, with non-string keys", () => {
    assert.deepEqual(roundTrip({ a: 1, b: "x" }), new Map<HessianValue, HessianValue>([["a", 1], ["b", "x"]]));
    const typed = { $class: "com.alibaba.fastjson.JSONObject", $: { k: "v" } };
    assert.deepEqual(roundTrip(typed), new Map([["k", "v"]]));
    const intKeys = new Map<unknown, unknown>([[1, "one"], [2, "two"]]);
    assert.deepEqual(roundTrip(intKeys), new Map<HessianValue, HessianValue>([[1, "one"], [2, "two"]]));
  });

  it("objects: a class definition, then instances by compact and 'O' references", () => {
    const user = (i: number) => javaObject("com.example.User", { name: `u${i}`, age: i });
    const r = over(hessianEncode(user(1), user(2)));
    const first = r.readValue() as { type: string; fields: Record<string, HessianValue> };
    assert.equal(first.type, "com.example.User");
    assert.deepEqual({ ...first.fields }, { name: "u1", age: 1 });
    assert.equal(Object.getPrototypeOf(first.fields), null, "a record without a prototype");
    const second = r.readValue() as { fields: Record<string, HessianValue> };
    assert.deepEqual({ ...second.fields }, { name: "u2", age: 2 });
    // 17 classes: the 17th instance needs 'O' int, past the compact x60-x6f.
    const many = Array.from({ length: 17 }, (_, i) => javaObject(`c.C${i}`, { v: i }));
    const values = roundTrip(many) as { type: string; fields: Record<string, HessianValue> }[];
    assert.equal(values[16]!.type, "c.C16");
    assert.equal(values[16]!.fields.v, 16);
  });

  it("a field named __proto__ is a plain field", () => {
    const v = roundTrip(javaObject("x.Y", { ["__proto__"]: 1 })) as { fields: Record<string, HessianValue> };
    assert.equal(Object.getOwnPropertyDescriptor(v.fields, "__proto__")?.value, 1);
  });

  it("nested: a list of maps of objects holding lists", () => {
    const value = [{ k: javaObject("a.B", { items: [1, 2, { z: null }] }) }];
    const v = roundTrip(value) as Map<HessianValue, HessianValue>[];
    const obj = v[0]!.get("k") as { fields: Record<string, HessianValue> };
    assert.deepEqual(obj.fields.items, [1, 2, new Map([["z", null]])]);
  });

  it("refs ('Q') resolve to the same container; skip checks them", () => {
    const shared = { x: 1 };
    const v = roundTrip([shared, shared]) as HessianValue[];
    assert.equal(v[0], v[1]);
    // Q 0 before any container was read
    assert.throws(() => over(u8(0x51, 0x90)).skip(), /back-reference/);
  });

  it("class definitions made while skipping are known to later values", () => {
    const user = (i: number) => javaObject("com.example.User", { name: `u${i}` });
    const r = over(hessianEncode(user(1), user(2)));
    r.skip();
    const v = r.readValue() as { type: string; fields: Record<string, HessianValue> };
    assert.equal(v.type, "com.example.User");
    assert.equal(v.fields.name, "u2");
  });
});

describe("Hessian2Reader: malformed input throws Hessian2Error", () => {
  const sample = hessianEncode([
    "héllo 😀",
    javaObject("com.example.User", { name: "n", tags: ["a", "b"], id: long(2 ** 40) }),
    { k: double(1.5), d: new Date(0) },
    binary(new Uint8Array(40)),
  ]);

  it("every truncation of a value, skipped or read", () => {
    for (let n = 0; n < sample.length; n++) {
      const cut = sample.subarray(0, n);
      assert.throws(() => over(cut).skip(), Hessian2Error, `skip of ${n} bytes`);
      assert.throws(() => over(cut).readValue(), Hessian2Error, `read of ${n} bytes`);
    }
  });

  it("unknown tags", () => {
    for (const tag of [0x40, 0x45, 0x47, 0x50, 0x5a]) {
      assert.throws(() => over(u8(tag)).skip(), Hessian2Error);
      assert.throws(() => over(u8(tag)).readValue(), Hessian2Error);
    }
  });

  it("nesting past MAX_DEPTH", () => {
    const deep = new Uint8Array(MAX_DEPTH + 2).fill(0x79); // one-item untyped lists
    deep[deep.length - 1] = 0x4e;
    assert.throws(() => over(deep).skip(), /nested deeper/);
    assert.throws(() => over(deep).readValue(), /nested deeper/);
    const ok = new Uint8Array(MAX_DEPTH + 1).fill(0x79);
    ok[ok.length - 1] = 0x4e;
    over(ok).skip();
  });

  it("counts past the bytes left, undefined classes and types", () => {
    assert.throws(() => over(u8(0x58, 0x49, 0x7f, 0xff, 0xff, 0xff)).skip(), /count/); // 'X' 2^31-1 items
    assert.throws(() => over(u8(0x58, 0x8f)).readValue(), /count/); // negative length
    assert.throws(() => over(u8(0x60)).skip(), /undefined class/);
    assert.throws(() => over(u8(0x4f, 0x95)).readValue(), /undefined class/);
    assert.throws(() => over(u8(0x70, 0x90)).skip(), /type reference/); // typed list, type ref 0 of none
    assert.throws(() => over(u8(0x43, 0x01, 0x61, 0x49, 0x7f, 0xff, 0xff, 0xff)).skip(), /count/); // fields
  });
});
