import { assert, describe, it } from "../../../test/support/test-api.ts";
import { binary, double, hessianEncode, javaObject, long } from "../../../test/support/hessian.ts";
import { XCodecError } from "../xprotocol/codec-error.ts";
import type { XFrame } from "../xprotocol/frame.ts";
import { decode } from "./decode.ts";
import { frame, requestFrame } from "./test-helpers.ts";

/** The header view as [name, value] pairs, spelled as they came. */
function entries(f: XFrame): [string, string][] {
  const out: [string, string][] = [];
  f.forEach((_, value, spelling) => out.push([spelling, value]));
  return out;
}

function replyable(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof XCodecError, `an XCodecError, not ${e}`);
    return e.replyable;
  }
  assert.fail("no error");
}

describe("dubbo decode: requests", () => {
  it("fills the header view: derived fields, attachments, pseudo-keys", () => {
    const f = decode(requestFrame({ id: 42 }));
    assert.equal(f.isRequest, true);
    assert.equal(f.oneway, false);
    assert.equal(f.heartbeat, false);
    assert.equal(f.status, -1);
    assert.equal(f.requestId, 42);
    assert.equal(f.idOffset, 4);
    assert.equal(f.idLength, 8);
    assert.equal(f.timeoutMs, 3000, "from the timeout attachment");
    assert.equal(f.dirty, false);
    assert.deepEqual(entries(f), [
      ["dubbo", "2.0.2"],
      ["service", "com.example.DemoService"],
      ["method", "sayHello"],
      // hessian.js writes a map's keys sorted
      ["group", "blue"],
      ["interface", "com.example.DemoService"],
      ["path", "com.example.DemoService"],
      ["timeout", "3000"],
      ["version", "1.0.0"],
      [":service", "com.example.DemoService"],
      [":rpc-method", "sayHello"],
    ]);
  });

  it("service is the interface attachment when present, else the path", () => {
    const withInterface = decode(
      requestFrame({ path: "/provider/path", attachments: { interface: "com.example.Api" } }),
    );
    assert.equal(withInterface.get("service"), "com.example.Api");
    assert.equal(withInterface.get(":service"), "com.example.Api");
    const pathOnly = decode(requestFrame({ path: "com.example.Other", attachments: { group: "g" } }));
    assert.equal(pathOnly.get("service"), "com.example.Other");
    assert.equal(pathOnly.get("group"), "g");
    assert.equal(pathOnly.get("version"), "1.0.0", "the body's service version");
  });

  it("a null service version is empty; no group attachment, no group", () => {
    const f = decode(requestFrame({ version: null, attachments: {} }));
    assert.equal(f.get("version"), "");
    assert.equal(f.has("group"), false);
  });

  it("keeps the attachments' spelling and looks them up in lower case", () => {
    const f = decode(requestFrame({ attachments: { "X-Trace-Id": "abc" } }));
    assert.equal(f.get("x-trace-id"), "abc");
    assert.ok(entries(f).some(([k]) => k === "X-Trace-Id"));
  });

  it("non-ASCII and emoji in the service, method and attachments", () => {
    const f = decode(requestFrame({
      path: "com.例子.服务",
      method: "grüßen",
      attachments: { "名字": "值 😀", emoji: "🎉🎉" },
    }));
    assert.equal(f.get("service"), "com.例子.服务");
    assert.equal(f.get(":rpc-method"), "grüßen");
    assert.equal(f.get("名字"), "值 😀");
    assert.equal(f.get("emoji"), "🎉🎉");
  });

  it("attachments whose key or value is not a string stay out of the view", () => {
    const attachments = new Map<unknown, unknown>([["a", "1"], ["n", 5], [7, "x"], ["o", javaObject("x.Y", { v: 1 })]]);
    const f = decode(requestFrame({ attachments }));
    assert.equal(f.get("a"), "1");
    assert.equal(f.has("n"), false);
    assert.equal(f.has("o"), false);
  });

  it("missing or null attachments: the derived fields only", () => {
    for (const attachments of [undefined, null]) {
      const f = decode(requestFrame({ attachments }));
      assert.deepEqual(entries(f).map(([k]) => k), [
        "dubbo",
        "service",
        "method",
        "version",
        ":service",
        ":rpc-method",
      ]);
      assert.equal(f.timeoutMs, 0);
    }
  });

  it("a oneway request: the two-way bit clear", () => {
    assert.equal(decode(requestFrame({ twoWay: false })).oneway, true);
  });

  it("a timeout attachment that is not a positive int is no timeout", () => {
    for (const timeout of ["", "-1", "1.5", "abc", "99999999999"]) {
      assert.equal(decode(requestFrame({ attachments: { timeout } })).timeoutMs, 0, timeout);
    }
  });

  const families: [string, string, unknown[]][] = [
    ["int", "I", [0x7fffffff]],
    ["long", "J", [long("9007199254740993")]],
    ["double", "D", [double(3.25)]],
    ["boolean", "Z", [true]],
    ["String", "Ljava/lang/String;", ["é😀".repeat(2000)]],
    ["null", "Ljava/lang/Object;", [null]],
    ["binary", "[B", [binary(new Uint8Array(5000).fill(9))]],
    ["date", "Ljava/util/Date;", [new Date(Date.UTC(2020, 1, 2, 3, 4, 5, 6))]],
    ["list", "Ljava/util/List;", [[1, "two", 3.5]]],
    ["int[]", "[I", [{ $class: "[int", $: [1, 2, 3] }]],
    ["String[]", "[Ljava/lang/String;", [{ $class: "[java.lang.String", $: ["a", "b"] }]],
    ["map", "Ljava/util/Map;", [{ k: "v", n: 1 }]],
    ["Java object with class def", "Lcom/example/User;", [javaObject("com.example.User", { name: "n", age: 3 })]],
    ["nested", "Lcom/example/Order;", [
      javaObject("com.example.Order", {
        user: javaObject("com.example.User", { name: "x", age: 1 }),
        lines: [{ sku: "a", qty: 2 }, { sku: "b", qty: long(2 ** 40) }],
        meta: { deep: [[[null]]] },
      }),
    ]],
    ["several, a class reused", "Lcom/example/User;ILcom/example/User;[J", [
      javaObject("com.example.User", { name: "a", age: 1 }),
      5,
      javaObject("com.example.User", { name: "b", age: 2 }),
      { $class: "[long", $: [1, 2] },
    ]],
  ];
  for (const [name, descriptor, args] of families) {
    it(`skips ${name} arguments and finds the attachments after them`, () => {
      const f = decode(requestFrame({ descriptor, args }));
      assert.equal(f.get("group"), "blue");
      assert.equal(f.get("timeout"), "3000");
    });
  }

  it("an empty descriptor: no arguments", () => {
    assert.equal(decode(requestFrame({ descriptor: "", args: [] })).get("group"), "blue");
  });
});

describe("dubbo decode: refused requests", () => {
  it("a truncated body (header length fixed up) is replyable", () => {
    const whole = requestFrame({
      descriptor: "Lcom/example/User;",
      args: [javaObject("com.example.User", { a: "b" })],
    });
    // Cuts that leave a readable prefix ending where a value ends decode as a request with fewer
    // attachments; every other cut is a replyable error.
    let refused = 0;
    for (let n = 16; n < whole.length; n++) {
      const cut = whole.slice(0, n);
      new DataView(cut.buffer).setUint32(12, n - 16);
      try {
        decode(cut);
      } catch (e) {
        assert.ok(e instanceof XCodecError && e.replyable, `cut at ${n}: ${e}`);
        refused++;
      }
    }
    assert.ok(refused > whole.length - 30, `${refused} cuts refused`);
  });

  it("corrupt bodies are replyable", () => {
    const body = (...values: unknown[]) => frame(0xc2, 0, 1, hessianEncode(...values));
    assert.equal(replyable(() => decode(body(1, "p", "v", "m", ""))), true, "version not a string");
    assert.equal(replyable(() => decode(body("2.0.2", null, "v", "m", ""))), true, "null path");
    const head = hessianEncode("2.0.2", "p", "v", "m", "I");
    const badArg = new Uint8Array(head.length + 1);
    badArg.set(head);
    badArg[head.length] = 0x40; // reserved in Hessian 2.0
    assert.equal(replyable(() => decode(frame(0xc2, 0, 1, badArg))), true, "an argument with an unknown tag");
    assert.equal(replyable(() => decode(body("2.0.2", "p", "v", "m", "", 12))), true, "attachments not a map");
    assert.equal(replyable(() => decode(frame(0xc2, 0, 1, Uint8Array.from([0x05, 0x61, 0xff])))), true, "bad UTF-8");
  });

  it("a serialization other than hessian2 is replyable", () => {
    assert.equal(replyable(() => decode(requestFrame({ serialization: 6 }))), true);
  });

  it("a oneway request (two-way bit clear) is never replyable: it must get no response", () => {
    const body = (...values: unknown[]) => frame(0x82, 0, 1, hessianEncode(...values));
    assert.equal(replyable(() => decode(body(1, "p", "v", "m", ""))), false, "version not a string");
    assert.equal(replyable(() => decode(body("2.0.2", "p", "v", "m", "", 12))), false, "attachments not a map");
    assert.equal(replyable(() => decode(requestFrame({ serialization: 6, twoWay: false }))), false, "serialization");
  });

  it("a bad magic or a length that disagrees with the frame is not replyable", () => {
    const f = requestFrame();
    const bad = f.slice();
    bad[0] = 0xca;
    assert.equal(replyable(() => decode(bad)), false);
    assert.equal(replyable(() => decode(f.subarray(0, 10))), false);
    assert.equal(replyable(() => decode(f.subarray(0, f.length - 1))), false);
  });
});

describe("dubbo decode: responses and events", () => {
  it("a response: status byte and :status, body unread", () => {
    const cases: [number, string][] = [
      [20, "200"],
      [30, "504"],
      [31, "504"],
      [40, "500"],
      [50, "500"],
      [60, "404"],
      [70, "500"],
      [80, "500"],
      [90, "500"],
      [100, "503"],
    ];
    for (const [status, http] of cases) {
      const f = decode(frame(0x02, status, 9, Uint8Array.from([0xff, 0xfe]))); // not Hessian: never read
      assert.equal(f.isRequest, false);
      assert.equal(f.status, status);
      assert.equal(f.heartbeat, false);
      assert.equal(f.requestId, 9);
      assert.deepEqual(entries(f), [[":status", http]]);
    }
  });

  it("a heartbeat: event with a null body; its answer, an event response", () => {
    const hb = decode(frame(0xe2, 0, 3, Uint8Array.from([0x4e])));
    assert.equal(hb.isRequest, true);
    assert.equal(hb.heartbeat, true);
    assert.equal(hb.oneway, false);
    assert.equal(hb.size, 0);
    const reply = decode(frame(0x22, 20, 3, Uint8Array.from([0x4e])));
    assert.equal(reply.isRequest, false);
    assert.equal(reply.heartbeat, true);
  });

  it("another event (readonly 'R') is neither a heartbeat nor routable", () => {
    const f = decode(frame(0xa2, 0, 4, hessianEncode("R")));
    assert.equal(f.heartbeat, false);
    assert.equal(f.oneway, true);
    assert.equal(f.has(":service"), false);
  });

  it("a request id past 2^53 reads as NaN, its bytes intact", () => {
    const f = requestFrame();
    f.fill(0xff, 4, 12);
    const d = decode(f);
    assert.ok(Number.isNaN(d.requestId));
    assert.deepEqual(d.idBytes(), new Uint8Array(8).fill(0xff));
  });
});
