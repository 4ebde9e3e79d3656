import { assert, describe, it } from "../../test/support/test-api.ts";
import { ConfigError } from "../errors.ts";
import { HeaderMap } from "../stream/header-map.ts";
import { ConfigContext } from "./context.ts";
import { loadConfig } from "./load.ts";
import { readRouterConfiguration } from "./load-routers.ts";
import { testRegistry } from "./test-helpers.ts";

const PATH = "servers[0].routers[0]";
const ROUTE = `${PATH}.virtual_hosts[0].routers[0]`;

// deno-lint-ignore no-explicit-any
type Raw = any;

/** A router config with one virtual host and one route; `edit` changes it before reading. */
function config(edit: (raw: Raw, route: Raw) => void = () => {}): Raw {
  const route = { match: { prefix: "/" }, route: { cluster_name: "c" } };
  const raw = { router_config_name: "r", virtual_hosts: [{ name: "vh", domains: ["*"], routers: [route] }] };
  edit(raw, route);
  return raw;
}

function read(raw: Raw): ConfigContext {
  const ctx = new ConfigContext();
  readRouterConfiguration(raw, PATH, ctx);
  return ctx;
}

function errorOf(raw: Raw): string {
  try {
    read(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return assert.fail("expected a ConfigError");
}

const warningsOf = (raw: Raw) => read(raw).warnings;

describe("router config: errors name the path", () => {
  const cases: [string, (raw: Raw, route: Raw) => void, string][] = [
    ["no name", (raw) => delete raw.router_config_name, `${PATH}.router_config_name: required field is missing`],
    [
      "no virtual hosts",
      (raw) => (raw.virtual_hosts = []),
      `${PATH}.virtual_hosts: a router config needs at least one virtual host`,
    ],
    [
      "a typo, with a hint",
      (raw) => ((raw.virtual_host = raw.virtual_hosts), delete raw.virtual_hosts),
      `${PATH}.virtual_host: unknown field, did you mean virtual_hosts?`,
    ],
    [
      "Envoy's routes for MOSN's routers",
      (raw) => (raw.virtual_hosts[0].routes = []),
      `${PATH}.virtual_hosts[0].routes: unknown field, did you mean routers?`,
    ],
    [
      "a directory of virtual hosts",
      (raw) => (raw.router_configs = "/etc/mosn/routers"),
      `${PATH}.router_configs: loading virtual hosts from a directory is not supported yet; list them in virtual_hosts`,
    ],
    [
      "no domains",
      (raw) => (raw.virtual_hosts[0].domains = []),
      `${PATH}.virtual_hosts[0].domains: a virtual host needs at least one domain (* for any)`,
    ],
    [
      "a bad domain",
      (raw) => (raw.virtual_hosts[0].domains = ["a.*.com"]),
      `${PATH}.virtual_hosts[0].domains[0]: "a.*.com": a * must begin or end the host (*.example.com, www.example.*)`,
    ],
    [
      "a domain that is not a string",
      (raw) => (raw.virtual_hosts[0].domains = [1]),
      `${PATH}.virtual_hosts[0].domains[0]: expected a domain, got 1`,
    ],
    [
      "two defaults",
      (raw) => raw.virtual_hosts.push({ domains: ["a.com", "*:*"], routers: [] }),
      `${PATH}.virtual_hosts[1].domains[1]: the default domain * is already claimed by ${PATH}.virtual_hosts[0]`,
    ],
    [
      "a domain claimed twice",
      (raw) => raw.virtual_hosts.push({ domains: ["*.A.com"], routers: [] }, { domains: ["*.a.com"], routers: [] }),
      `${PATH}.virtual_hosts[2].domains[0]: "*.a.com" is already claimed by ${PATH}.virtual_hosts[1]`,
    ],
    [
      "a domain listed twice",
      (raw) => (raw.virtual_hosts[0].domains = ["a.com", "A.COM"]),
      `${PATH}.virtual_hosts[0].domains[1]: "A.COM" is listed twice`,
    ],
    [
      "a route without an action",
      (_, route) => delete route.route,
      `${ROUTE}.route: required field is missing: a route needs route (cluster_name, cluster_header or weighted_clusters), redirect or direct_response`,
    ],
    [
      "a route action without a cluster",
      (_, route) => (route.route = { timeout: "1s" }),
      `${ROUTE}.route.cluster_name: required field is missing: a route needs cluster_name, cluster_header or weighted_clusters`,
    ],
    [
      "a cluster from a MOSN variable",
      (_, route) => (route.route = { cluster_variable: "x" }),
      `${ROUTE}.route.cluster_variable: picking the cluster from a MOSN variable is not supported yet; use cluster_header or cluster_name`,
    ],
    [
      "weights adding up to 0",
      (_, route) => (route.route = { weighted_clusters: [{ cluster: { name: "a" } }] }),
      `${ROUTE}.route.weighted_clusters: the weights add up to 0: no cluster could be picked`,
    ],
    [
      "a weighted cluster listed twice",
      (
        _,
        route,
      ) => (route.route = {
        weighted_clusters: [{ cluster: { name: "a", weight: 1 } }, { cluster: { name: "a", weight: 2 } }],
      }),
      `${ROUTE}.route.weighted_clusters[1].cluster.name: "a" is listed twice in weighted_clusters`,
    ],
    [
      "a weighted entry without its cluster",
      (_, route) => (route.route = { weighted_clusters: [{}] }),
      `${ROUTE}.route.weighted_clusters[0].cluster: required field is missing`,
    ],
    [
      "a weight out of range",
      (_, route) => (route.route = { weighted_clusters: [{ cluster: { name: "a", weight: -1 } }] }),
      `${ROUTE}.route.weighted_clusters[0].cluster.weight: expected an integer 0-4294967295, got -1`,
    ],
    [
      "a bad path regex",
      (_, route) => (route.match = { regex: "(" }),
      `${ROUTE}.match.regex: invalid regular expression: `,
    ],
    [
      "a bad header regex",
      (_, route) => (route.match.headers = [{ name: "x", value: "[", regex: true }]),
      `${ROUTE}.match.headers[0].value: invalid regular expression: `,
    ],
    [
      "an RE2-only construct",
      (_, route) => (route.match.headers = [{ name: "x", value: "[[:digit:]]", regex: true }]),
      `${ROUTE}.match.headers[0].value: POSIX classes`,
    ],
    [
      "a bad query regex",
      (_, route) => (route.match.query_parameters = [{ name: "q", value: "\\", regex: true }]),
      `${ROUTE}.match.query_parameters[0].value: trailing backslash`,
    ],
    [
      "a header matcher without a name",
      (_, route) => (route.match.headers = [{ value: "x" }]),
      `${ROUTE}.match.headers[0].name: required field is missing`,
    ],
    [
      "variables without a path match",
      (_, route) => (route.match = { variables: [{ name: "x", value: "y" }] }),
      `${ROUTE}.match.variables: matching on MOSN variables is not supported yet; match on prefix, path, regex or headers`,
    ],
    [
      "DSL expressions",
      (_, route) => (route.match = { dsl_expressions: [{ expression: "x" }] }),
      `${ROUTE}.match.dsl_expressions: matching on MOSN DSL expressions is not supported yet`,
    ],
    [
      "prefix_rewrite after a regex",
      (_, route) => ((route.match = { regex: "^/a" }), (route.route.prefix_rewrite = "/b")),
      `${ROUTE}.route.prefix_rewrite: needs a prefix or path match to replace, not a regex`,
    ],
    [
      "prefix_rewrite without a path match",
      (_, route) => ((route.match = {}), (route.route.prefix_rewrite = "/b")),
      `${ROUTE}.route.prefix_rewrite: needs a prefix or path match to replace, and the route has neither`,
    ],
    [
      "regex_rewrite",
      (_, route) => (route.route.regex_rewrite = { pattern: { regex: "^/a" }, substitution: "/b" }),
      `${ROUTE}.route.regex_rewrite: not supported yet; use prefix_rewrite`,
    ],
    [
      "a bad timeout",
      (_, route) => (route.route.timeout = "5"),
      `${ROUTE}.route.timeout: expected a duration such as "500ms" or "1m30s", got "5": missing unit`,
    ],
    [
      "a bad retry status",
      (_, route) => (route.route.retry_policy = { status_codes: [600] }),
      `${ROUTE}.route.retry_policy.status_codes[0]: expected an HTTP status 100-599, got 600`,
    ],
    [
      "a bad host_rewrite",
      (_, route) => (route.route.host_rewrite = "a b"),
      `${ROUTE}.route.host_rewrite: expected a host (and port), got "a b"`,
    ],
    [
      "a redirect code MOSN refuses",
      (_, route) => (route.redirect = { response_code: 300 }),
      `${ROUTE}.redirect.response_code: expected one of 301, 302, 303, 307, 308, got 300`,
    ],
    [
      "a bad redirect scheme",
      (_, route) => (route.redirect = { scheme_redirect: "1http" }),
      `${ROUTE}.redirect.scheme_redirect: "1http" is not a URL scheme`,
    ],
    [
      "a redirect path without a slash",
      (_, route) => (route.redirect = { path_redirect: "x" }),
      `${ROUTE}.redirect.path_redirect: expected a path starting with / (without query or spaces), got "x"`,
    ],
    [
      "a redirect path with a query",
      (_, route) => (route.redirect = { path_redirect: "/x?a" }),
      `${ROUTE}.redirect.path_redirect: expected a path starting with /`,
    ],
    [
      "a redirect host with a path",
      (_, route) => (route.redirect = { host_redirect: "a.com/x" }),
      `${ROUTE}.redirect.host_redirect: expected a host (and port), got "a.com/x"`,
    ],
    [
      "a direct response without a status",
      (_, route) => (route.direct_response = { body: "x" }),
      `${ROUTE}.direct_response.status: required field is missing`,
    ],
    [
      "a direct response status out of range",
      (_, route) => (route.direct_response = { status: 600 }),
      `${ROUTE}.direct_response.status: expected an integer 100-599, got 600`,
    ],
    [
      "adding a pseudo-header",
      (_, route) => (route.route.request_headers_to_add = [{ header: { key: ":path", value: "/" } }]),
      `${ROUTE}.route.request_headers_to_add[0].header.key: pseudo-header :path cannot be added (use prefix_rewrite or host_rewrite)`,
    ],
    [
      "adding a bad header name",
      (raw) => (raw.response_headers_to_add = [{ header: { key: "a b", value: "1" } }]),
      `${PATH}.response_headers_to_add[0].header.key: "a b" is not a valid header name`,
    ],
    [
      "a header value that would split the header",
      (raw) => (raw.virtual_hosts[0].request_headers_to_add = [{ header: { key: "x", value: "1\r\nx-evil: 1" } }]),
      `${PATH}.virtual_hosts[0].request_headers_to_add[0].header.value: must not hold CR, LF or NUL`,
    ],
    [
      "an add without its header",
      (raw) => (raw.request_headers_to_add = [{ append: false }]),
      `${PATH}.request_headers_to_add[0].header: required field is missing`,
    ],
    [
      "removing host",
      (raw) => (raw.request_headers_to_remove = ["Host"]),
      `${PATH}.request_headers_to_remove[0]: host cannot be removed (an HTTP/1.1 request needs one)`,
    ],
    [
      "removing :status",
      (_, route) => (route.route.response_headers_to_remove = [":status"]),
      `${ROUTE}.route.response_headers_to_remove[0]: pseudo-header :status cannot be removed`,
    ],
    [
      "a mirror percent above 100",
      (_, route) => (route.request_mirror_policies = { cluster: "m", percent: 101 }),
      `${ROUTE}.request_mirror_policies.percent: expected an integer 0-100, got 101`,
    ],
    [
      "a mirror without its cluster",
      (_, route) => (route.request_mirror_policies = [{ percent: 5 }]),
      `${ROUTE}.request_mirror_policies[0].cluster: required field is missing`,
    ],
  ];
  for (const [name, edit, message] of cases) {
    it(name, () => {
      const got = errorOf(config(edit));
      assert.ok(got.startsWith(message), `${got}\n  does not start with\n${message}`);
    });
  }
});

describe("router config: warnings", () => {
  const ignored = (path: string) => `${path}: MOSN field not supported yet, ignored`;

  it("warns about MOSN fields it does not act on", () => {
    const raw = config((raw, route) => {
      Object.assign(raw.virtual_hosts[0], { require_tls: "ALL", per_filter_config: { fault: {} } });
      Object.assign(route, {
        metadata: { filter_metadata: { mosn: { label: "gray" } } },
        per_filter_config: { x: {} },
      });
      Object.assign(route.route, { hash_policy: [{ header: { key: "x" } }], metadata_match: { filter_metadata: {} } });
      route.request_mirror_policies = { cluster: "m", percent: 10, trace_sampled: true };
    });
    assert.deepEqual(warningsOf(raw), [
      ignored(`${PATH}.virtual_hosts[0].require_tls`),
      ignored(`${PATH}.virtual_hosts[0].per_filter_config`),
      ignored(`${ROUTE}.metadata`),
      ignored(`${ROUTE}.per_filter_config`),
      ignored(`${ROUTE}.route.hash_policy`),
      ignored(`${ROUTE}.route.metadata_match`),
      ignored(`${ROUTE}.request_mirror_policies.trace_sampled`),
    ]);
  });

  it("picks one of two conflicting fields as MOSN does, and says which it ignored", () => {
    const raw = config((raw, route) => {
      route.match = { prefix: "/a", path: "/b", regex: "c", variables: [{ name: "x", value: "1" }] };
      Object.assign(route.route, {
        cluster_header: "x-c",
        host_rewrite: "h",
        auto_host_rewrite: true,
        auto_host_rewrite_header: "x-h",
        prefix_rewrite: "/z",
        regex_rewrite: { pattern: { regex: "^/a" } },
      });
      raw.virtual_hosts[0].routers.push(
        {
          direct_response: { status: 200 },
          redirect: { path_redirect: "/x" },
          route: { cluster_name: "c" },
          request_mirror_policies: { cluster: "m", percent: 1 },
        },
        { route: { weighted_clusters: [{ cluster: { name: "a", weight: 1 } }], cluster_name: "c" } },
        { route: { auto_host_rewrite_header: "x-h", auto_host_rewrite: true, cluster_name: "c" } },
      );
    });
    const second = `${PATH}.virtual_hosts[0].routers[1]`;
    assert.deepEqual(warningsOf(raw), [
      `${ROUTE}.match.path: ignored: prefix takes precedence (as in MOSN)`,
      `${ROUTE}.match.regex: ignored: prefix takes precedence (as in MOSN)`,
      `${ROUTE}.match.variables: ignored: prefix takes precedence (as in MOSN)`,
      `${ROUTE}.route.cluster_header: ignored: cluster_name takes precedence (as in MOSN)`,
      `${ROUTE}.route.regex_rewrite: ignored: prefix_rewrite takes precedence (as in MOSN)`,
      `${ROUTE}.route.auto_host_rewrite_header: ignored: host_rewrite takes precedence (as in MOSN)`,
      `${ROUTE}.route.auto_host_rewrite: ignored: host_rewrite takes precedence (as in MOSN)`,
      `${second}.redirect: ignored: direct_response takes precedence (as in MOSN)`,
      `${second}.route: ignored: direct_response takes precedence (as in MOSN)`,
      `${second}.request_mirror_policies: ignored: a direct_response route sends nothing upstream`,
      `${PATH}.virtual_hosts[0].routers[2].route.cluster_name: ignored: weighted_clusters takes precedence (as in MOSN)`,
      `${PATH}.virtual_hosts[0].routers[3].route.auto_host_rewrite: ignored: auto_host_rewrite_header takes precedence (as in MOSN)`,
    ]);
  });

  it("skips a header value that is a MOSN variable, and warns about a mirror that mirrors nothing", () => {
    const raw = config((raw, route) => {
      raw.request_headers_to_add = [{ header: { key: "x-real-ip", value: "%downstream_remote_address%" } }, {
        header: { key: "x-pct", value: "50%" },
      }];
      route.request_mirror_policies = { cluster: "m" };
    });
    assert.deepEqual(warningsOf(raw), [
      `${PATH}.request_headers_to_add[0].header.value: MOSN variables in header values are not supported yet; x-real-ip is not sent`,
      `${ROUTE}.request_mirror_policies.percent: 0: nothing is mirrored (as in MOSN; 100 mirrors every request)`,
    ]);
  });

  it("takes MOSN's zero values as unset, without a word", () => {
    const raw = config((_, route) => {
      route.match = { prefix: "/", path: "", regex: "", headers: [], variables: [] };
      route.redirect = null;
      route.request_mirror_policies = {};
      Object.assign(route.route, {
        cluster_header: "",
        regex_rewrite: {},
        timeout: 0,
        retry_policy: null,
        auto_host_rewrite: false,
      });
    });
    assert.deepEqual(warningsOf(raw), []);
  });
});

describe("router config: cluster references", () => {
  it("records every cluster a route names, with its path", () => {
    const raw = config((raw, route) => {
      route.request_mirror_policies = [{ cluster: "shadow", percent: 5 }];
      raw.virtual_hosts[0].routers.push({
        route: { weighted_clusters: [{ cluster: { name: "a", weight: 1 } }, { cluster: { name: "b", weight: 1 } }] },
      }, { route: { cluster_header: "x-cluster" } });
    });
    assert.deepEqual(read(raw).clusterRefs, [
      { path: `${ROUTE}.route.cluster_name`, cluster: "c" },
      { path: `${ROUTE}.request_mirror_policies[0].cluster`, cluster: "shadow" },
      { path: `${PATH}.virtual_hosts[0].routers[1].route.weighted_clusters[0].cluster.name`, cluster: "a" },
      { path: `${PATH}.virtual_hosts[0].routers[1].route.weighted_clusters[1].cluster.name`, cluster: "b" },
    ]);
  });
});

describe("loadConfig: routers", () => {
  const listener = (name: string, port: number, filters: Raw[]) => ({
    name,
    address: `127.0.0.1:${port}`,
    filter_chains: [{ filters }],
  });
  const proxy = (router: string) => ({
    type: "proxy",
    config: { downstream_protocol: "Http1", router_config_name: router },
  });
  const router = (name: string, cluster = "backend") => ({
    router_config_name: name,
    virtual_hosts: [{ domains: ["*"], routers: [{ route: { cluster_name: cluster } }] }],
  });
  const file = (edit: (raw: Raw) => void = () => {}): Raw => {
    const raw: Raw = {
      servers: [{ routers: [router("front")], listeners: [listener("a", 2045, [proxy("front")])] }],
      cluster_manager: { clusters: [{ name: "backend", hosts: [{ address: "127.0.0.1:8080" }] }] },
    };
    edit(raw);
    return raw;
  };
  const load = (raw: Raw) => loadConfig(JSON.stringify(raw), "test.json", testRegistry());
  const loadError = (raw: Raw): string => {
    try {
      load(raw);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return assert.fail("expected a ConfigError");
  };
  const get = new HeaderMap();
  get.add(":path", "/");

  it("keeps every router by name, from servers and connection_manager filters, whichever comes first", () => {
    const { config, warnings } = load(
      file((raw) => {
        raw.servers[0].listeners.push(
          listener("b", 2046, [proxy("inline"), { type: "connection_manager", config: router("inline") }]),
        );
        raw.servers.push({ routers: [router("second")], listeners: [listener("c", 2047, [proxy("second")])] });
      }),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual([...config.routers.keys()], ["front", "inline", "second"]);
    assert.equal(config.routers.get("inline")?.route(get, Math.random)?.kind, "forward");
    const cm = config.servers[0]!.listeners[1]!.filterChains[0]!.filters[1]!;
    assert.equal(cm.type, "connection_manager");
    assert.equal((cm.config as { router: unknown }).router, config.routers.get("inline"));
  });

  it("refuses a proxy naming no router, with a hint", () => {
    const raw = file((raw) => (raw.servers[0].listeners[0].filter_chains[0].filters[0] = proxy("frnot")));
    assert.equal(
      loadError(raw),
      'servers[0].listeners[0].filter_chains[0].filters[0].config.router_config_name: no router config named "frnot" in servers[].routers or a connection_manager filter, did you mean front?',
    );
  });

  it("refuses two routers of one name, across servers and filters", () => {
    const across = file((raw) =>
      raw.servers.push({ routers: [router("front")], listeners: [listener("b", 2046, [proxy("front")])] })
    );
    assert.equal(
      loadError(across),
      'servers[1].routers[0].router_config_name: duplicate router_config_name "front" (also servers[0].routers[0].router_config_name)',
    );
    const filter = file((raw) =>
      raw.servers[0].listeners[0].filter_chains[0].filters.push({ type: "connection_manager", config: router("front") })
    );
    assert.equal(
      loadError(filter),
      'servers[0].listeners[0].filter_chains[0].filters[1].config.router_config_name: duplicate router_config_name "front" (also servers[0].routers[0].router_config_name)',
    );
  });

  it("refuses a route naming no cluster, with its path and a hint", () => {
    const raw = file((raw) => (raw.servers[0].routers[0] = router("front", "backnd")));
    assert.equal(
      loadError(raw),
      'servers[0].routers[0].virtual_hosts[0].routers[0].route.cluster_name: no cluster named "backnd" in cluster_manager.clusters, did you mean backend?',
    );
  });

  it("needs a connection_manager to name its router", () => {
    const raw = file((raw) =>
      raw.servers[0].listeners[0].filter_chains[0].filters.push({ type: "connection_manager" })
    );
    assert.equal(
      loadError(raw),
      "servers[0].listeners[0].filter_chains[0].filters[1].config.router_config_name: required field is missing",
    );
  });
});
