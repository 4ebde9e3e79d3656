import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ConfigContext } from "../../config/context.ts";
import { ConfigError } from "../../errors.ts";
import { parseEchoConfig } from "./config.ts";

describe("parseEchoConfig", () => {
  it("needs no config", () => {
    assert.deepEqual(parseEchoConfig(undefined, "f.config", new ConfigContext()), { statPrefix: "" });
    assert.deepEqual(parseEchoConfig(null, "f.config", new ConfigContext()), { statPrefix: "" });
  });

  it("reads stat_prefix, in any case", () => {
    const config = parseEchoConfig({ Stat_Prefix: "echo" }, "f.config", new ConfigContext());
    assert.deepEqual(config, { statPrefix: "echo" });
    assert.ok(Object.isFrozen(config));
  });

  it("refuses unknown keys and wrong types with their path", () => {
    assert.throws(() => parseEchoConfig({ stat_prefx: "e" }, "f.config", new ConfigContext()), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, "f.config.stat_prefx: unknown field, did you mean stat_prefix?");
      return true;
    });
    assert.throws(() => parseEchoConfig({ stat_prefix: 1 }, "f.config", new ConfigContext()), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, "f.config.stat_prefix: expected a string, got 1");
      return true;
    });
  });
});
