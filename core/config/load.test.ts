import { assert, describe, it } from "../../test/support/test-api.ts";
import { ConfigError } from "../errors.ts";
import { echoConfigParser } from "../network-filters/echo/config.ts";
import { tcpProxyConfigParser } from "../network-filters/tcp-proxy/config.ts";
import { buildConfig, loadConfig } from "./load.ts";
import type { ConfigRegistry, NetworkFilterConfigParser } from "./registry-types.ts";
import type { IsthmusConfig, TcpProxyConfig } from "./types.ts";

const parsers = new Map<string, NetworkFilterConfigParser>([
  ["tcp_proxy", tcpProxyConfigParser],
  ["echo", echoConfigParser],
]);
const registry: ConfigRegistry = {
  networkFilter: (type) => parsers.get(type),
  networkFilterTypes: () => [...parsers.keys()],
  streamFilter: () => undefined,
  streamFilterTypes: () => [],
};

// deno-lint-ignore no-explicit-any
type Raw = any;

function base(): Raw {
  return {
    servers: [
      {
        listeners: [
          {
            name: "front",
            address: "127.0.0.1:2045",
            filter_chains: [{ filters: [{ type: "tcp_proxy", config: { cluster: "backend" } }] }],
          },
        ],
      },
    ],
    cluster_manager: {
      clusters: [
        { name: "backend", type: "SIMPLE", lb_type: "LB_ROUNDROBIN", hosts: [{ address: "10.0.0.1:80" }] },
        { name: "other", hosts: [{ address: "10.0.0.2:80" }] },
      ],
    },
  };
}

function load(raw: Raw): { config: IsthmusConfig; warnings: string[] } {
  return loadConfig(JSON.stringify(raw), "test.json", registry);
}

function errorOf(raw: Raw): ConfigError {
  try {
    load(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  assert.fail("expected a ConfigError");
}

const LISTENER = "servers[0].listeners[0]";
const FILTER = `${LISTENER}.filter_chains[0].filters[0]`;

describe("loadConfig: good configs", () => {
  it("builds the frozen model with defaults", () => {
    const { config, warnings } = load(base());
    assert.deepEqual(warnings, []);
    assert.deepEqual(config.servers, [
      {
        name: "server_0",
        listeners: [
          {
            name: "front",
            address: { host: "127.0.0.1", port: 2045 },
            bindPort: true,
            bufferLimitBytes: 65536,
            idleTimeoutMs: 90_000,
            filterChains: [
              {
                filters: [
                  {
                    type: "tcp_proxy",
                    config: {
                      statPrefix: "",
                      cluster: "backend",
                      routes: [],
                      idleTimeoutMs: 90_000,
                      maxConnectAttempts: 1,
                    },
                  },
                ],
              },
            ],
            streamFilters: [],
          },
        ],
        gracefulTimeoutMs: 0,
        logLevel: undefined,
      },
    ]);
    assert.deepEqual(config.clusters[1], {
      name: "other",
      type: "SIMPLE",
      lbType: "LB_ROUNDROBIN",
      hosts: [{ address: { host: "10.0.0.2", port: 80 }, hostname: "", weight: 1 }],
      connectTimeoutMs: 10000,
      maxRequestPerConn: 0,
      connBufferLimitBytes: 65536,
    });
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.servers[0]!.listeners[0]!.address));
    assert.ok(Object.isFrozen(config.clusters[0]!.hosts[0]));
  });

  it("reads the listener and cluster fields we act on", () => {
    const raw = base();
    Object.assign(raw.servers[0], { mosn_server_name: "edge" });
    Object.assign(raw.servers[0].listeners[0], {
      bind_port: false,
      per_connection_buffer_limit_bytes: 1024,
      connection_idle_timeout: "1m15s",
      network: "TCP",
    });
    Object.assign(raw.cluster_manager.clusters[0], {
      type: "static",
      lb_type: "lb_least_request",
      connect_timeout: "250ms",
      max_request_per_conn: 100,
      conn_buffer_limit_bytes: 4096,
      hosts: [{ address: "[::1]:81", hostname: "v6", weight: 128 }],
    });
    const { config } = load(raw);
    const listener = config.servers[0]!.listeners[0]!;
    assert.equal(config.servers[0]!.name, "edge");
    assert.deepEqual([listener.bindPort, listener.bufferLimitBytes, listener.idleTimeoutMs], [false, 1024, 75_000]);
    const c = config.clusters[0]!;
    assert.deepEqual([c.type, c.lbType, c.connectTimeoutMs, c.maxRequestPerConn, c.connBufferLimitBytes], [
      "STATIC",
      "LB_LEAST_REQUEST",
      250,
      100,
      4096,
    ]);
    assert.deepEqual(c.hosts[0], { address: { host: "::1", port: 81 }, hostname: "v6", weight: 128 });
  });

  it("reads the same config from YAML", () => {
    const yaml = [
      "servers:",
      "  - listeners:",
      "      - name: front",
      "        address: 127.0.0.1:2045",
      "        filter_chains:",
      "          - filters:",
      "              - type: tcp_proxy",
      "                config: { cluster: backend }",
      "cluster_manager:",
      "  clusters:",
      "    - { name: backend, type: SIMPLE, lb_type: LB_ROUNDROBIN, hosts: [{ address: '10.0.0.1:80' }] }",
      "    - name: other",
      "      hosts:",
      "        - address: 10.0.0.2:80",
    ].join("\n");
    assert.deepEqual(loadConfig(yaml, "test.yaml", registry).config, load(base()).config);
  });

  it("matches keys case-insensitively, as MOSN's Go decoder does", () => {
    const raw = {
      Servers: [{
        Listeners: [{
          NAME: "front",
          ADDRESS: "127.0.0.1:2045",
          FilterChains: [{ Filters: [{ Type: "tcp_proxy", Config: { Cluster: "backend" } }] }],
        }],
      }],
      Cluster_Manager: {
        CLUSTERS: [{ Name: "backend", LbType: "LB_RANDOM", Hosts: [{ Address: "10.0.0.1:80", Weight: 3 }] }],
      },
    };
    const { config } = load(raw);
    assert.equal(config.servers[0]!.listeners[0]!.name, "front");
    assert.equal(
      (config.servers[0]!.listeners[0]!.filterChains[0]!.filters[0]!.config as TcpProxyConfig).cluster,
      "backend",
    );
    assert.equal(config.clusters[0]!.lbType, "LB_RANDOM");
    assert.equal(config.clusters[0]!.hosts[0]!.weight, 3);
  });

  it("takes MOSN's default_log_level (TRACE..FATAL, any case) as the log level", () => {
    const level = (v: string) => {
      const raw = base();
      raw.servers[0].default_log_level = v;
      return load(raw).config.servers[0]!.logLevel;
    };
    assert.deepEqual(
      ["DEBUG", "trace", "INFO", "Warn", "ERROR", "FATAL"].map(level),
      ["debug", "debug", "info", "warn", "error", "error"],
    );
    const raw = base();
    raw.servers[0].default_log_level = "DEBG";
    assert.throws(() => load(raw), (e) => e instanceof ConfigError && /did you mean DEBUG\?/.test(e.message));
  });

  it("names an unnamed listener after its address, as MOSN does", () => {
    const raw = base();
    delete raw.servers[0].listeners[0].name;
    assert.equal(load(raw).config.servers[0]!.listeners[0]!.name, "127.0.0.1:2045");
  });

  it("reads MOSN's zero values as unset: weight, buffer limit, connect timeout", () => {
    const raw = base();
    Object.assign(raw.cluster_manager.clusters[0], {
      conn_buffer_limit_bytes: 0,
      connect_timeout: "0s",
      hosts: [{ address: "10.0.0.1:80", weight: 0 }],
    });
    const c = load(raw).config.clusters[0]!;
    assert.deepEqual([c.connBufferLimitBytes, c.connectTimeoutMs, c.hosts[0]!.weight], [65536, 10000, 1]);
  });

  it("accepts an already parsed value through buildConfig, parse warnings first", () => {
    const raw = base();
    raw.layered_runtime = { layers: [] };
    const { config, warnings } = buildConfig(raw, registry, ["from the parser"]);
    assert.equal(config.clusters.length, 2);
    assert.deepEqual(warnings, ["from the parser", "layered_runtime: unknown field, ignored"]);
  });

  it("gives listeners MOSN's 90 s idle timeout unless the file sets one; null is unset, 0 turns it off", () => {
    const idle = (value: unknown) => {
      const raw = base();
      raw.servers[0].listeners[0].connection_idle_timeout = value;
      return load(raw).config.servers[0]!.listeners[0]!.idleTimeoutMs;
    };
    assert.deepEqual([idle(undefined), idle(null), idle(0), idle("0s"), idle("15s")], [90_000, 90_000, 0, 0, 15_000]);
  });

  it("keeps a cluster's requests per connection unlimited and its buffer at 64 KiB by default", () => {
    const c = load(base()).config.clusters[0]!;
    assert.deepEqual([c.maxRequestPerConn, c.connBufferLimitBytes], [0, 65536]);
  });
});

describe("loadConfig: warnings", () => {
  it("warns once per MOSN field we ignore, naming its path, and keeps loading", () => {
    const raw = base();
    Object.assign(raw, { tracing: { enable: true }, admin: { address: {} }, disable_upgrade: true });
    Object.assign(raw.servers[0], { default_log_path: "stdout", processor: "auto" });
    Object.assign(raw.servers[0].listeners[0], {
      access_logs: [{ log_path: "x" }],
      inspector: false,
    });
    Object.assign(raw.servers[0].listeners[0].filter_chains[0], { tls_context: {} });
    Object.assign(raw.cluster_manager.clusters[1], {
      health_check: { timeout: "1s" },
      circuit_breakers: [{ max_connections: 1 }],
    });
    Object.assign(raw.cluster_manager.clusters[1].hosts[0], { metadata: { filter_metadata: {} } });
    const { warnings } = load(raw);
    const w = (path: string) => `${path}: MOSN field not supported yet, ignored`;
    assert.deepEqual(warnings, [
      w("tracing"),
      w("admin"),
      w("disable_upgrade"),
      w("servers[0].default_log_path"),
      w("servers[0].processor"),
      w(`${LISTENER}.access_logs`),
      w("cluster_manager.clusters[1].health_check"),
      w("cluster_manager.clusters[1].circuit_breakers"),
      w("cluster_manager.clusters[1].hosts[0].metadata"),
    ]);
  });

  it("falls back to round robin for MOSN balancers we lack, with a warning", () => {
    const raw = base();
    raw.cluster_manager.clusters[0].lb_type = "LB_MAGLEV";
    const { config, warnings } = load(raw);
    assert.equal(config.clusters[0]!.lbType, "LB_ROUNDROBIN");
    assert.deepEqual(warnings, [
      "cluster_manager.clusters[0].lb_type: LB_MAGLEV is not supported yet, using LB_ROUNDROBIN",
    ]);
  });

  it("clamps a weight above 128 as MOSN does, with a warning", () => {
    const raw = base();
    raw.cluster_manager.clusters[0].hosts[0].weight = 200;
    const { config, warnings } = load(raw);
    assert.equal(config.clusters[0]!.hosts[0]!.weight, 128);
    assert.deepEqual(warnings, [
      "cluster_manager.clusters[0].hosts[0].weight: 200 is above MOSN's maximum 128, using 128",
    ]);
  });

  it("ignores unknown keys with a warning, as MOSN's Go decoder ignores them", () => {
    const raw = base();
    Object.assign(raw, { layered_runtime: { layers: [{ name: "static" }] }, stream_filters: [{ type: "x" }] });
    Object.assign(raw.servers[0].listeners[0], { x_team_note: "" });
    Object.assign(raw.servers[0].listeners[0].filter_chains[0].filters[0].config, { access_log_format: "%x%" });
    const { config, warnings } = load(raw);
    assert.equal(config.servers[0]!.listeners[0]!.name, "front");
    assert.deepEqual(warnings, [
      "layered_runtime: unknown field, ignored",
      "stream_filters: unknown field, ignored",
      `${LISTENER}.x_team_note: unknown field, ignored`,
      `${FILTER}.config.access_log_format: unknown field, ignored`,
    ]);
  });

  it("takes the last of two spellings of one key, as Go's decoder does, with a warning", () => {
    const raw = base();
    Object.assign(raw.cluster_manager.clusters[1], {
      lb_type: "LB_RANDOM",
      LbType: "LB_LEAST_REQUEST",
      Name: "renamed",
    });
    const { config, warnings } = load(raw);
    assert.deepEqual([config.clusters[1]!.name, config.clusters[1]!.lbType], ["renamed", "LB_LEAST_REQUEST"]);
    assert.deepEqual(warnings, [
      'cluster_manager.clusters[1].lb_type: given twice, as "lb_type" and "LbType"; the last one is used',
      'cluster_manager.clusters[1].name: given twice, as "name" and "Name"; the last one is used',
    ]);
  });

  it("warns about a cluster without hosts", () => {
    const raw = base();
    raw.cluster_manager.clusters[1].hosts = [];
    assert.deepEqual(load(raw).warnings, [
      "cluster_manager.clusters[1].hosts: cluster has no hosts; connections routed to it will fail",
    ]);
  });
});

/** [what, how to break the base config, the exact error message] */
const ERRORS: Array<[string, (raw: Raw) => void, string]> = [
  [
    "a bad listener address",
    (raw) => (raw.servers[0].listeners[0].address = "abc"),
    `${LISTENER}.address: expected "host:port", got "abc"`,
  ],
  [
    "a missing listener address",
    (raw) => delete raw.servers[0].listeners[0].address,
    `${LISTENER}.address: required field is missing`,
  ],
  [
    "a misspelt cluster key",
    (raw) => (raw.cluster_manager.clusters[1].lb_tpye = "LB_RANDOM"),
    "cluster_manager.clusters[1].lb_tpye: unknown field, did you mean lb_type?",
  ],
  [
    "a misspelt listener key",
    (raw) => (raw.servers[0].listeners[0].adress = "x"),
    `${LISTENER}.adress: unknown field, did you mean address?`,
  ],
  [
    "a misspelt top-level key",
    (raw) => (raw.cluster_manger = {}),
    "cluster_manger: unknown field, did you mean cluster_manager?",
  ],
  [
    "a misspelt lb_type",
    (raw) => (raw.cluster_manager.clusters[1].lb_type = "LB_ROUNDROBBIN"),
    'cluster_manager.clusters[1].lb_type: unknown load balancer "LB_ROUNDROBBIN", did you mean LB_ROUNDROBIN?',
  ],
  [
    "a made-up lb_type",
    (raw) => (raw.cluster_manager.clusters[1].lb_type = "FASTEST"),
    'cluster_manager.clusters[1].lb_type: unknown load balancer "FASTEST" (expected one of LB_ROUNDROBIN, LB_RANDOM, LB_WEIGHTED_ROUNDROBIN, LB_LEAST_REQUEST)',
  ],
  [
    "a non-static cluster type",
    (raw) => (raw.cluster_manager.clusters[0].type = "EDS"),
    "cluster_manager.clusters[0].type: cluster type EDS is not supported yet; isthmus runs static clusters (SIMPLE or STATIC) with listed hosts",
  ],
  [
    "a misspelt cluster type",
    (raw) => (raw.cluster_manager.clusters[0].type = "SIMPEL"),
    'cluster_manager.clusters[0].type: unknown cluster type "SIMPEL", did you mean SIMPLE?',
  ],
  [
    "a misspelt filter type",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0].type = "tcp_prxy"),
    `${FILTER}.type: unknown filter type "tcp_prxy", did you mean tcp_proxy?`,
  ],
  [
    "an unknown filter type",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0].type = "zzz"),
    `${FILTER}.type: unknown filter type "zzz" (available: tcp_proxy, echo)`,
  ],
  [
    "a MOSN filter type we lack",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0].type = "udp_proxy"),
    `${FILTER}.type: MOSN filter type "udp_proxy" is not supported yet (available: tcp_proxy, echo)`,
  ],
  [
    "a filter without a type",
    (raw) => delete raw.servers[0].listeners[0].filter_chains[0].filters[0].type,
    `${FILTER}.type: required field is missing`,
  ],
  [
    "an error inside a filter's config",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0].config.clustr = "x"),
    `${FILTER}.config.clustr: unknown field, did you mean cluster?`,
  ],
  [
    "a missing cluster",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0].config.cluster = "backnd"),
    `${FILTER}.config.cluster: no cluster named "backnd" in cluster_manager.clusters, did you mean backend?`,
  ],
  [
    "a route to a missing cluster",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0].config = { routes: [{ cluster: "nowhere" }] }),
    `${FILTER}.config.routes[0].cluster: no cluster named "nowhere" in cluster_manager.clusters`,
  ],
  [
    "duplicate cluster names",
    (raw) => (raw.cluster_manager.clusters[1].name = "backend"),
    'cluster_manager.clusters[1].name: duplicate cluster name "backend" (also cluster_manager.clusters[0])',
  ],
  [
    "duplicate listener names",
    (raw) => raw.servers[0].listeners.push({ ...raw.servers[0].listeners[0], address: "127.0.0.1:2046" }),
    'servers[0].listeners[1].name: duplicate listener name "front" (also servers[0].listeners[0])',
  ],
  [
    "two listeners binding one address",
    (raw) => raw.servers.push({ listeners: [{ ...raw.servers[0].listeners[0], name: "b" }] }),
    "servers[1].listeners[0].address: 127.0.0.1:2045 is already used by servers[0].listeners[0]",
  ],
  ["no servers", (raw) => delete raw.servers, "servers: no listeners configured: nothing to run"],
  [
    "servers without listeners",
    (raw) => (raw.servers = [{ listeners: [] }]),
    "servers: no listeners configured: nothing to run",
  ],
  [
    "a listener without filter chains",
    (raw) => delete raw.servers[0].listeners[0].filter_chains,
    `${LISTENER}.filter_chains: a listener needs one filter chain`,
  ],
  [
    "two filter chains",
    (raw) => raw.servers[0].listeners[0].filter_chains.push({ filters: [] }),
    `${LISTENER}.filter_chains[1]: only one filter chain per listener is supported (as in MOSN)`,
  ],
  [
    "a filter chain without filters",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].filters = []),
    `${LISTENER}.filter_chains[0].filters: a filter chain needs at least one filter`,
  ],
  [
    "a udp listener",
    (raw) => (raw.servers[0].listeners[0].network = "udp"),
    `${LISTENER}.network: udp listeners are not supported yet, only tcp`,
  ],
  [
    "a bad network",
    (raw) => (raw.servers[0].listeners[0].network = "sctp"),
    `${LISTENER}.network: expected "tcp", "udp" or "unix", got "sctp"`,
  ],
  [
    "TLS on a listener",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].tls_context = { Status: true }),
    `${LISTENER}.filter_chains[0].tls_context: TLS is not supported yet (set status to false or remove it)`,
  ],
  [
    "a TLS context set",
    (raw) => (raw.servers[0].listeners[0].filter_chains[0].tls_context_set = [{ status: true }]),
    `${LISTENER}.filter_chains[0].tls_context_set: TLS is not supported yet (set status to false or remove it)`,
  ],
  [
    "TLS to a cluster",
    (raw) => (raw.cluster_manager.clusters[0].tls_context = { status: true }),
    "cluster_manager.clusters[0].tls_context: TLS is not supported yet (set status to false or remove it)",
  ],
  [
    "the cluster manager's TLS",
    (raw) => (raw.cluster_manager.clusters[0].cluster_manager_tls = true),
    "cluster_manager.clusters[0].cluster_manager_tls: TLS is not supported yet (set status to false or remove it)",
  ],
  [
    "clusters from a directory",
    (raw) => (raw.cluster_manager.clusters_configs = "/etc/mosn/clusters"),
    "cluster_manager.clusters_configs: loading clusters from a directory is not supported yet; list them in cluster_manager.clusters",
  ],
  [
    "a cluster without a name",
    (raw) => delete raw.cluster_manager.clusters[1].name,
    "cluster_manager.clusters[1].name: required field is missing",
  ],
  [
    "a bad host address",
    (raw) => (raw.cluster_manager.clusters[1].hosts[0].address = "10.0.0.2"),
    'cluster_manager.clusters[1].hosts[0].address: expected "host:port", got "10.0.0.2"',
  ],
  [
    "a host on port 0",
    (raw) => (raw.cluster_manager.clusters[1].hosts[0].address = "10.0.0.2:0"),
    'cluster_manager.clusters[1].hosts[0].address: port 0 cannot be connected to, got "10.0.0.2:0"',
  ],
  [
    "a unix socket host",
    (raw) => (raw.cluster_manager.clusters[1].hosts[0].address = "unix:/tmp/s.sock"),
    'cluster_manager.clusters[1].hosts[0].address: unix socket hosts are not supported yet, got "unix:/tmp/s.sock"',
  ],
  [
    "a negative weight",
    (raw) => (raw.cluster_manager.clusters[1].hosts[0].weight = -1),
    "cluster_manager.clusters[1].hosts[0].weight: expected an integer 0-4294967295, got -1",
  ],
  [
    "a weight as text",
    (raw) => (raw.cluster_manager.clusters[1].hosts[0].weight = "2"),
    'cluster_manager.clusters[1].hosts[0].weight: expected an integer 0-4294967295, got "2"',
  ],
  [
    "a bad connect timeout",
    (raw) => (raw.cluster_manager.clusters[1].connect_timeout = "3 s"),
    'cluster_manager.clusters[1].connect_timeout: expected a duration such as "500ms" or "1m30s", got "3 s": unknown unit " s" (ns, us, ms, s, m or h)',
  ],
  [
    "a unitless idle timeout",
    (raw) => (raw.servers[0].listeners[0].connection_idle_timeout = 30),
    `${LISTENER}.connection_idle_timeout: expected a duration string such as "500ms" or "1m30s", got 30`,
  ],
  [
    "a listener buffer of 0",
    (raw) => (raw.servers[0].listeners[0].per_connection_buffer_limit_bytes = 0),
    `${LISTENER}.per_connection_buffer_limit_bytes: expected an integer 1-67108864, got 0`,
  ],
  [
    "a listener buffer over 64 MiB",
    (raw) => (raw.servers[0].listeners[0].per_connection_buffer_limit_bytes = 64 * 1024 * 1024 + 1),
    `${LISTENER}.per_connection_buffer_limit_bytes: expected an integer 1-67108864, got 67108865`,
  ],
  [
    "a cluster buffer over 64 MiB",
    (raw) => (raw.cluster_manager.clusters[0].conn_buffer_limit_bytes = 4294967295),
    "cluster_manager.clusters[0].conn_buffer_limit_bytes: expected an integer 0-67108864, got 4294967295",
  ],
  [
    "an idle timeout too long for a timer",
    (raw) => (raw.servers[0].listeners[0].connection_idle_timeout = "596h31m23.648s"),
    `${LISTENER}.connection_idle_timeout: must be at most 596h31m23.647s (2^31-1 ms, about 24.8 days: the longest a timer can wait), got "596h31m23.648s"`,
  ],
  [
    "a connect timeout too long for a timer",
    (raw) => (raw.cluster_manager.clusters[0].connect_timeout = "1000h"),
    'cluster_manager.clusters[0].connect_timeout: must be at most 596h31m23.647s (2^31-1 ms, about 24.8 days: the longest a timer can wait), got "1000h"',
  ],
  [
    "bind_port as text",
    (raw) => (raw.servers[0].listeners[0].bind_port = "true"),
    `${LISTENER}.bind_port: expected true or false, got "true"`,
  ],
  [
    "listeners that are not a list",
    (raw) => (raw.servers[0].listeners = {}),
    "servers[0].listeners: expected a list, got an object",
  ],
];

describe("loadConfig: errors name the path", () => {
  for (const [what, breakIt, message] of ERRORS) {
    it(what, () => {
      const raw = base();
      breakIt(raw);
      const err = errorOf(raw);
      assert.equal(err.message, message);
      assert.equal(err.path, message.slice(0, message.indexOf(": ")));
      assert.equal(err.code, "ISTHMUS_CONFIG");
    });
  }

  it("a top level that is not an object", () => {
    assert.equal(errorOf([]).message, "expected the config file to hold an object with servers and cluster_manager");
    assert.equal(errorOf([]).path, "");
  });

  it("reports a syntax error with the line", () => {
    const err = (() => {
      try {
        loadConfig("servers:\n  - listeners: [\n", "broken.yaml", registry);
      } catch (e) {
        return e as ConfigError;
      }
      assert.fail("expected an error");
    })();
    assert.ok(err instanceof ConfigError);
    // The file is named by whoever reports the error (the CLI prefixes it), so only once.
    assert.match(err.message, /^YAML syntax error: .* at line 3, column 1$/);
  });
});
