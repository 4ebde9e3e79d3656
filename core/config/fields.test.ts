import { assert, describe, it } from "../../test/support/test-api.ts";
import { ConfigError } from "../errors.ts";
import { ConfigContext } from "./context.ts";
import { type ObjectSchema, readObject } from "./fields.ts";

const SCHEMA: ObjectSchema = {
  fields: ["name", "lb_type", "source_addrs", "weight", "enabled", "timeout", "items", "child"],
  mosnOnly: ["health_check", {
    key: "tls_context",
    refuse: (v) => ((v as { status?: boolean })?.status ? "TLS is off limits" : undefined),
  }],
};
const CHILD: ObjectSchema = { fields: ["port"] };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

function read(raw: unknown, path = "clusters[1]") {
  const ctx = new ConfigContext();
  return { f: readObject(raw, path, ctx, SCHEMA), ctx };
}

describe("readObject keys", () => {
  it("matches keys case-insensitively and ignoring underscores", () => {
    const { f } = read({ NAME: "a", LbType: "LB_RANDOM", SourceAddrs: [] });
    assert.equal(f.string("name", ""), "a");
    assert.equal(f.string("lb_type", ""), "LB_RANDOM");
    assert.deepEqual(f.list("source_addrs"), []);
  });

  it("rejects an unknown key with a did-you-mean hint naming the schema's spelling", () => {
    const err = configError(() => read({ lb_tpye: "x" }));
    assert.equal(err.path, "clusters[1].lb_tpye");
    assert.equal(err.message, "clusters[1].lb_tpye: unknown field, did you mean lb_type?");
  });

  it("ignores an unknown key that is no near miss, with a warning naming its path, as MOSN does", () => {
    const { f, ctx } = read({ name: "a", layered_runtime: { layers: [] }, x_note: "" });
    assert.equal(f.string("name", ""), "a");
    assert.deepEqual(ctx.warnings, [
      "clusters[1].layered_runtime: unknown field, ignored",
      "clusters[1].x_note: unknown field, ignored",
    ]);
  });

  it("suggests MOSN-only keys too", () => {
    assert.match(configError(() => read({ health_chek: {} })).message, /did you mean health_check\?$/);
  });

  it("takes the last of two spellings of one field, with a warning", () => {
    const { f, ctx } = read({ name: "a", LbType: "LB_RANDOM", Name: "b", lb_type: "LB_MAGLEV" });
    assert.deepEqual([f.string("name", ""), f.string("lb_type", "")], ["b", "LB_MAGLEV"]);
    assert.deepEqual(ctx.warnings, [
      'clusters[1].name: given twice, as "name" and "Name"; the last one is used',
      'clusters[1].lb_type: given twice, as "LbType" and "lb_type"; the last one is used',
    ]);
  });

  it("judges a MOSN-only field given twice by its last value", () => {
    assert.equal(
      configError(() => read({ tls_context: {}, TlsContext: { status: true } })).path,
      "clusters[1].tls_context",
    );
    const { ctx } = read({ health_check: { timeout: "1s" }, HealthCheck: {} });
    assert.deepEqual(ctx.warnings, [
      'clusters[1].health_check: given twice, as "health_check" and "HealthCheck"; the last one is used',
    ]);
  });

  it("warns about MOSN-only keys with a value and stays quiet about zero values", () => {
    const { ctx } = read({ health_check: { timeout: "1s" }, tls_context: {} });
    assert.deepEqual(ctx.warnings, ["clusters[1].health_check: MOSN field not supported yet, ignored"]);
  });

  it("turns a refused MOSN-only value into an error", () => {
    const err = configError(() => read({ tls_context: { status: true } }));
    assert.equal(err.message, "clusters[1].tls_context: TLS is off limits");
  });

  it("requires an object", () => {
    assert.equal(configError(() => read([1])).message, "clusters[1]: expected an object, got a list");
    assert.equal(configError(() => read("x")).message, 'clusters[1]: expected an object, got "x"');
  });

  it("reads null as absent, as Go's decoder does", () => {
    assert.equal(read({ name: null }).f.string("name", "dflt"), "dflt");
  });

  it("treats a field called __proto__ as just another unknown key", () => {
    const { f, ctx } = read(JSON.parse('{"__proto__": {"name": "x"}}'));
    assert.equal(f.has("name"), false);
    assert.deepEqual(ctx.warnings, ["clusters[1].__proto__: unknown field, ignored"]);
  });
});

describe("Fields getters", () => {
  it("types strings", () => {
    assert.equal(
      configError(() => read({ name: 5 }).f.string("name", "")).message,
      "clusters[1].name: expected a string, got 5",
    );
    assert.equal(
      configError(() => read({}).f.requiredString("name")).message,
      "clusters[1].name: required field is missing",
    );
    assert.equal(configError(() => read({ name: "" }).f.requiredString("name")).path, "clusters[1].name");
  });

  it("types integers with a range", () => {
    assert.equal(read({ weight: 7 }).f.integer("weight", 1, 1, 128), 7);
    assert.equal(read({}).f.integer("weight", 1, 1, 128), 1);
    for (const bad of [0, 129, 1.5, "7", true]) {
      const err = configError(() => read({ weight: bad }).f.integer("weight", 1, 1, 128));
      assert.equal(err.path, "clusters[1].weight");
      assert.match(err.message, /expected an integer 1-128, got/);
    }
  });

  it("types booleans", () => {
    assert.equal(read({ enabled: false }).f.boolean("enabled", true), false);
    assert.equal(
      configError(() => read({ enabled: "yes" }).f.boolean("enabled", true)).message,
      'clusters[1].enabled: expected true or false, got "yes"',
    );
  });

  it("reads durations as MOSN's DurationConfig does: Go strings, or a bare 0", () => {
    assert.equal(read({ timeout: "1m30s" }).f.duration("timeout", 5), 90_000);
    assert.equal(read({ timeout: 0 }).f.duration("timeout", 5), 0);
    assert.equal(read({}).f.duration("timeout", 5), 5);
    assert.match(
      configError(() => read({ timeout: 3 }).f.duration("timeout", 5)).message,
      /^clusters\[1\]\.timeout: expected a duration string/,
    );
    assert.match(
      configError(() => read({ timeout: "3" }).f.duration("timeout", 5)).message,
      /^clusters\[1\]\.timeout: .*missing unit/,
    );
    assert.equal(
      configError(() => read({ timeout: "-1s" }).f.duration("timeout", 5)).message,
      'clusters[1].timeout: must not be negative, got "-1s"',
    );
  });

  it("bounds durations by what a timer can wait (2^31-1 ms), where Go would take 292 years", () => {
    assert.equal(read({ timeout: "596h31m23.647s" }).f.duration("timeout", 5), 2 ** 31 - 1);
    for (const tooLong of ["596h31m23.648s", "2562047h"]) {
      const err = configError(() => read({ timeout: tooLong }).f.duration("timeout", 5));
      assert.equal(
        err.message,
        `clusters[1].timeout: must be at most 596h31m23.647s (2^31-1 ms, about 24.8 days: the longest a timer can wait), got "${tooLong}"`,
      );
    }
  });

  it("lists items with their paths", () => {
    const { f } = read({ items: ["a", "b"] });
    assert.deepEqual(f.list("items"), [
      { value: "a", path: "clusters[1].items[0]" },
      { value: "b", path: "clusters[1].items[1]" },
    ]);
    assert.equal(
      configError(() => read({ items: {} }).f.list("items")).message,
      "clusters[1].items: expected a list, got an object",
    );
  });

  it("reads nested objects, absent ones as empty", () => {
    assert.equal(read({ child: { Port: 8 } }).f.object("child", CHILD).integer("port", 0, 0, 9), 8);
    assert.equal(read({}).f.object("child", CHILD).integer("port", 3, 0, 9), 3);
    assert.equal(
      configError(() => read({ child: { prot: 1 } }).f.object("child", CHILD)).message,
      "clusters[1].child.prot: unknown field, did you mean port?",
    );
  });

  it("refuses to read a field the schema does not declare (a reader bug)", () => {
    assert.throws(() => read({}).f.get("nope"), /undeclared field nope/);
  });
});
