import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ConfigContext } from "../../config/context.ts";
import { ConfigError } from "../../errors.ts";
import type { Connection } from "../../net/connection.ts";
import type { FilterFactoryContext } from "../types.ts";
import { parseConnectionManagerConfig } from "./config.ts";
import { connectionManagerFilterFactory } from "./filter.ts";

const PATH = "servers[0].listeners[0].filter_chains[0].filters[1].config";
const INLINE = {
  router_config_name: "inline",
  virtual_hosts: [{ domains: ["*"], routers: [{ match: { prefix: "/" }, route: { cluster_name: "c" } }] }],
};

describe("connection_manager", () => {
  it("reads an inline router config and defines it by name", () => {
    const ctx = new ConfigContext();
    const config = parseConnectionManagerConfig(INLINE, PATH, ctx);
    assert.ok(Object.isFrozen(config));
    assert.equal(config.router.name, "inline");
    assert.deepEqual([...ctx.routers].map(([name, d]) => [name, d.path, d.router === config.router]), [[
      "inline",
      `${PATH}.router_config_name`,
      true,
    ]]);
    assert.deepEqual(ctx.clusterRefs, [{
      path: `${PATH}.virtual_hosts[0].routers[0].route.cluster_name`,
      cluster: "c",
    }]);
  });

  it("needs a config with a name and virtual hosts", () => {
    assert.throws(() => parseConnectionManagerConfig(undefined, PATH, new ConfigContext()), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, `${PATH}.router_config_name: required field is missing`);
      return true;
    });
    assert.throws(
      () => parseConnectionManagerConfig({ router_config_name: "x" }, PATH, new ConfigContext()),
      /virtual_hosts: a router config needs at least one virtual host/,
    );
  });

  it("installs nothing on a connection", () => {
    const config = parseConnectionManagerConfig(INLINE, PATH, new ConfigContext());
    const install = connectionManagerFilterFactory.create(config, {} as FilterFactoryContext);
    const untouchable = new Proxy({}, { get: (_, key) => assert.fail(`connection.${String(key)} used`) }) as Connection;
    install(untouchable);
  });
});
