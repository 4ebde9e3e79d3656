import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ConfigContext } from "../../config/context.ts";
import { ConfigError } from "../../errors.ts";
import { createDefaultRegistry } from "../../registry.ts";
import { HEALTHCHECK_NOTHING_TO_DO, parseHealthCheckConfig } from "./config.ts";
import { healthCheckFilterFactory } from "./filter.ts";

const PATH = "servers[0].listeners[0].stream_filters[0].config";

function parse(raw: unknown) {
  const ctx = new ConfigContext();
  return { config: parseHealthCheckConfig(raw, PATH, ctx), warnings: ctx.warnings };
}

describe("healthcheck stream filter (MOSN's, accepted with nothing to do)", () => {
  it("MOSN's sample `config: {}` loads with the one warning saying why it does nothing", () => {
    const { config, warnings } = parse({});
    assert.deepEqual(warnings, [`${PATH}: ${HEALTHCHECK_NOTHING_TO_DO}`]);
    assert.deepEqual(config, { passthrough: false, cacheTimeMs: 0, endpoint: "", clusterMinHealthyPercentages: {} });
  });

  it("reads MOSN's keys (any case, as Go's decoder does); passthrough gets a note that heartbeats cannot go upstream", () => {
    const { config, warnings } = parse({
      PassThrough: true,
      cache_time: "30s",
      cluster_min_healthy_percentages: { serverCluster: 70.5 },
    });
    assert.deepEqual(warnings, [`${PATH}: ${HEALTHCHECK_NOTHING_TO_DO}; passthrough cannot send them upstream`]);
    assert.deepEqual([config.passthrough, config.cacheTimeMs, config.clusterMinHealthyPercentages], [true, 30_000, {
      serverCluster: 70.5,
    }]);
  });

  it("a wrong value is still an error, naming its field", () => {
    const err = (raw: unknown) => {
      try {
        parse(raw);
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
      assert.fail("no error");
    };
    assert.equal(err({ cache_time: 30 }).split(":")[0], `${PATH}.cache_time`);
    assert.equal(
      err({ cluster_min_healthy_percentages: { a: 120 } }),
      `${PATH}.cluster_min_healthy_percentages: "a": expected a percentage 0-100, got 120`,
    );
    assert.equal(err({ passthrough: "yes" }), `${PATH}.passthrough: expected true or false, got "yes"`);
  });

  it("is in the default registry, and makes filters with no hooks", () => {
    assert.equal(createDefaultRegistry().streamFilters.get("healthcheck"), healthCheckFilterFactory);
    const make = healthCheckFilterFactory.create(parse({}).config, undefined as never);
    assert.deepEqual(Object.keys(make(undefined as never)), []);
  });
});
