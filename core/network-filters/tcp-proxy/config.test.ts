import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ConfigContext } from "../../config/context.ts";
import { ConfigError } from "../../errors.ts";
import { DEFAULT_TCP_IDLE_TIMEOUT_MS, parseTcpProxyConfig } from "./config.ts";

const PATH = "servers[0].listeners[0].filter_chains[0].filters[0].config";

function parse(raw: unknown) {
  const ctx = new ConfigContext();
  return { config: parseTcpProxyConfig(raw, PATH, ctx), ctx };
}

function errorOf(raw: unknown): ConfigError {
  try {
    parse(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

describe("parseTcpProxyConfig", () => {
  it("reads a plain cluster with defaults", () => {
    const { config, ctx } = parse({ cluster: "backend" });
    assert.deepEqual(config, {
      statPrefix: "",
      cluster: "backend",
      routes: [],
      idleTimeoutMs: DEFAULT_TCP_IDLE_TIMEOUT_MS,
      maxConnectAttempts: 1,
    });
    assert.deepEqual(ctx.clusterRefs, [{ path: `${PATH}.cluster`, cluster: "backend" }]);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.routes));
  });

  it("reads every field of MOSN's StreamProxy", () => {
    const { config, ctx } = parse({
      stat_prefix: "tcp",
      cluster: "fallback",
      idle_timeout: "2m",
      max_connect_attempts: 3,
      routes: [
        {
          cluster: "internal",
          source_addrs: [{ address: "10.0.0.0", length: 8 }, "192.168.0.0/16"],
          destination_addrs: [{ address: "2001:db8::", length: 32 }],
          source_port: "1024-65535",
          destination_port: "80,443",
        },
        { cluster: "fallback" },
      ],
    });
    assert.equal(config.statPrefix, "tcp");
    assert.equal(config.idleTimeoutMs, 120_000);
    assert.equal(config.maxConnectAttempts, 3);
    assert.deepEqual(config.routes[0], {
      cluster: "internal",
      sourceAddrs: [{ address: "10.0.0.0", length: 8 }, { address: "192.168.0.0", length: 16 }],
      destinationAddrs: [{ address: "2001:db8::", length: 32 }],
      sourcePorts: [{ min: 1024, max: 65535 }],
      destinationPorts: [{ min: 80, max: 80 }, { min: 443, max: 443 }],
    });
    assert.deepEqual(config.routes[1], {
      cluster: "fallback",
      sourceAddrs: [],
      destinationAddrs: [],
      sourcePorts: [],
      destinationPorts: [],
    });
    assert.deepEqual(ctx.clusterRefs.map((r) => r.path), [
      `${PATH}.cluster`,
      `${PATH}.routes[0].cluster`,
      `${PATH}.routes[1].cluster`,
    ]);
  });

  it("reads routes written with MOSN's Go field names, as its own tests do", () => {
    const { config } = parse({
      routes: [{
        Cluster: "test",
        SourceAddrs: [{ Address: "127.0.0.1", Length: 32 }],
        DestinationAddrs: [],
        SourcePort: "8080",
        DestinationPort: "8080",
      }],
    });
    assert.deepEqual(config.routes[0]!.sourceAddrs, [{ address: "127.0.0.1", length: 32 }]);
    assert.deepEqual(config.routes[0]!.sourcePorts, [{ min: 8080, max: 8080 }]);
    assert.equal(config.cluster, undefined);
  });

  it("takes idle_timeout as MOSN's nanoseconds or as a Go duration; 0 sets none", () => {
    assert.equal(parse({ cluster: "c", idle_timeout: 30_000_000_000 }).config.idleTimeoutMs, 30_000);
    assert.equal(parse({ cluster: "c", idle_timeout: 2_147_483_647_000_000 }).config.idleTimeoutMs, 2 ** 31 - 1);
    assert.equal(parse({ cluster: "c", idle_timeout: "596h31m23.647s" }).config.idleTimeoutMs, 2 ** 31 - 1);
    assert.equal(parse({ cluster: "c", idle_timeout: "1.5s" }).config.idleTimeoutMs, 1500);
    assert.equal(parse({ cluster: "c", idle_timeout: 0 }).config.idleTimeoutMs, 0);
    assert.equal(parse({ cluster: "c", idle_timeout: "0" }).config.idleTimeoutMs, 0);
  });

  it("reads max_connect_attempts 0 as unset, as Go's zero value", () => {
    assert.equal(parse({ cluster: "c", max_connect_attempts: 0 }).config.maxConnectAttempts, 1);
  });

  const errors: Array<[string, unknown, string]> = [
    ["no config at all", undefined, `${PATH}: tcp_proxy needs a "cluster" or at least one entry in "routes"`],
    [
      "neither cluster nor routes",
      { stat_prefix: "x" },
      `${PATH}: tcp_proxy needs a "cluster" or at least one entry in "routes"`,
    ],
    [
      "an empty cluster and no routes",
      { cluster: "" },
      `${PATH}: tcp_proxy needs a "cluster" or at least one entry in "routes"`,
    ],
    ["a config that is not an object", "backend", `${PATH}: expected an object, got "backend"`],
    ["a misspelt key", { clustr: "c" }, `${PATH}.clustr: unknown field, did you mean cluster?`],
    [
      "a route without a cluster",
      { routes: [{ source_port: "80" }] },
      `${PATH}.routes[0].cluster: required field is missing`,
    ],
    [
      "a misspelt route key",
      { routes: [{ cluster: "c", source_adrs: [] }] },
      `${PATH}.routes[0].source_adrs: unknown field, did you mean source_addrs?`,
    ],
    [
      "a bad idle timeout",
      { cluster: "c", idle_timeout: "forever" },
      `${PATH}.idle_timeout: expected a duration such as "500ms" or "1m30s", got "forever"`,
    ],
    [
      "a negative idle timeout",
      { cluster: "c", idle_timeout: "-5s" },
      `${PATH}.idle_timeout: must not be negative, got "-5s"`,
    ],
    [
      "an idle timeout of the wrong type",
      { cluster: "c", idle_timeout: true },
      `${PATH}.idle_timeout: expected a duration such as "30s" (or integer nanoseconds), got true`,
    ],
    [
      "a fractional nanosecond idle timeout",
      { cluster: "c", idle_timeout: 1.5 },
      `${PATH}.idle_timeout: expected a duration such as "30s" (or integer nanoseconds), got 1.5`,
    ],
    ["negative nanoseconds", { cluster: "c", idle_timeout: -1 }, `${PATH}.idle_timeout: must not be negative, got -1`],
    [
      "an idle timeout longer than a timer waits",
      { cluster: "c", idle_timeout: "720h" },
      `${PATH}.idle_timeout: must be at most 596h31m23.647s (2^31-1 ms, about 24.8 days: the longest a timer can wait), got "720h"`,
    ],
    [
      "nanoseconds longer than a timer waits",
      { cluster: "c", idle_timeout: 2_147_483_648_000_000 },
      `${PATH}.idle_timeout: must be at most 596h31m23.647s (2^31-1 ms, about 24.8 days: the longest a timer can wait), got 2147483648000000`,
    ],
    [
      "negative attempts",
      { cluster: "c", max_connect_attempts: -1 },
      `${PATH}.max_connect_attempts: expected an integer 0-4294967295, got -1`,
    ],
    [
      "a CIDR without length",
      { routes: [{ cluster: "c", source_addrs: [{ address: "10.0.0.0" }] }] },
      `${PATH}.routes[0].source_addrs[0].length: required field is missing`,
    ],
    [
      "a CIDR length past /32",
      { routes: [{ cluster: "c", source_addrs: [{ address: "10.0.0.0", length: 40 }] }] },
      `${PATH}.routes[0].source_addrs[0]: prefix length must be 0-32 for IPv4, got 40`,
    ],
    [
      "a CIDR with a bad address",
      { routes: [{ cluster: "c", destination_addrs: [{ address: "10.0.0", length: 8 }] }] },
      `${PATH}.routes[0].destination_addrs[0]: expected an IPv4 or IPv6 address, got "10.0.0"`,
    ],
    [
      "a CIDR string without length",
      { routes: [{ cluster: "c", source_addrs: ["10.0.0.0"] }] },
      `${PATH}.routes[0].source_addrs[0]: expected "address/length" or { address, length }, got "10.0.0.0"`,
    ],
    [
      "a misspelt CIDR key",
      { routes: [{ cluster: "c", source_addrs: [{ adress: "10.0.0.0", length: 8 }] }] },
      `${PATH}.routes[0].source_addrs[0].adress: unknown field, did you mean address?`,
    ],
    [
      "source_addrs that is not a list",
      { routes: [{ cluster: "c", source_addrs: "10.0.0.0/8" }] },
      `${PATH}.routes[0].source_addrs: expected a list, got "10.0.0.0/8"`,
    ],
    [
      "a bad port spec",
      { routes: [{ cluster: "c", destination_port: "80-" }] },
      `${PATH}.routes[0].destination_port: expected ports like "80", "8000-8080" or "80,443", got "80-" in "80-"`,
    ],
    [
      "a port spec of the wrong type",
      { routes: [{ cluster: "c", source_port: [80] }] },
      `${PATH}.routes[0].source_port: expected a port spec string such as "80,8000-8080", got a list`,
    ],
  ];
  for (const [what, raw, message] of errors) {
    it(`refuses ${what}`, () => {
      const err = errorOf(raw);
      assert.equal(err.message, message);
      assert.equal(err.path, message.slice(0, message.indexOf(": ")));
    });
  }

  it("accepts a lone port number where MOSN wants a string", () => {
    assert.deepEqual(parse({ routes: [{ cluster: "c", destination_port: 8080 }] }).config.routes[0]!.destinationPorts, [
      { min: 8080, max: 8080 },
    ]);
  });
});
