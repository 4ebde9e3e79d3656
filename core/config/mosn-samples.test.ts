import { assert, describe, it, readFixture } from "../../test/support/test-api.ts";
import { HeaderMap } from "../stream/header-map.ts";
import { loadConfig } from "./load.ts";
import type { ProxyFilterConfig } from "../network-filters/proxy/config.ts";
import { testRegistry } from "./test-helpers.ts";
import type { ConnectionManagerConfig, TcpProxyConfig } from "./types.ts";

// Fixtures written in the shapes of mosn/mosn's sample configs (examples/codes/tcpproxy-sample,
// trace/zipkin's YAML, slow-start-sample, tproxy), using tcp_proxy where those use the L7 proxy,
// and a hand-written YAML file using what MOSN's YAML reader accepts (anchors, merge keys).

const registry = testRegistry();

function loadFixture(name: string) {
  const text = readFixture(new URL(`./testdata/${name}`, import.meta.url));
  return loadConfig(text, name, registry);
}

const ignored = (path: string) => `${path}: MOSN field not supported yet, ignored`;

describe("MOSN-style sample configs load with warnings only", () => {
  it("the tcpproxy sample: capitalised Name, legacy log_path, an empty tls_context", () => {
    const { config, warnings } = loadFixture("mosn-tcpproxy.json");
    assert.deepEqual(warnings, [ignored("servers[0].default_log_path"), ignored("servers[0].listeners[0].log_path")]);
    const cluster = config.clusters[0]!;
    assert.deepEqual([cluster.name, cluster.lbType, cluster.maxRequestPerConn, cluster.connBufferLimitBytes], [
      "backendCluster",
      "LB_RANDOM",
      512,
      16384,
    ]);
    const tcp = config.servers[0]!.listeners[0]!.filterChains[0]!.filters[0]!.config as TcpProxyConfig;
    assert.equal(tcp.cluster, "backendCluster");
    assert.deepEqual(tcp.routes.map((r) => r.cluster), ["backendCluster"]);
  });

  it("a YAML config with routers, tracing and admin", () => {
    const { config, warnings } = loadFixture("mosn-tracing.yaml");
    assert.deepEqual(warnings, [
      ignored("tracing"),
      ignored("admin"),
      ignored("servers[0].default_log_path"),
    ]);
    assert.deepEqual([...config.routers.keys()], ["edge_router"]);
    const listener = config.servers[0]!.listeners[0]!;
    assert.deepEqual(listener.address, { host: "0.0.0.0", port: 3046 });
    assert.equal(listener.idleTimeoutMs, 90_000);
    const cluster = config.clusters[0]!;
    assert.equal(cluster.connectTimeoutMs, 1500);
    assert.deepEqual(cluster.hosts.map((h) => [h.address.host, h.hostname]), [["10.0.0.7", "app-1"], [
      "fd00::7",
      "app-2",
    ]]);
  });

  it("weighted hosts, health check and slow start, routes in MOSN's Go field names", () => {
    const { config, warnings } = loadFixture("mosn-weighted.json");
    assert.deepEqual(warnings, [
      ignored("disable_upgrade"),
      ignored("admin"),
      ignored("servers[0].default_log_path"),
      "servers[0].listeners[0].stream_filters[0].config: fault injects nothing: both percentages are 0",
      "servers[0].listeners[0].stream_filters: ignored: stream filters run in a proxy filter, and this listener has none",
      ignored("cluster_manager.clusters[0].health_check"),
      ignored("cluster_manager.clusters[0].slow_start"),
    ]);
    assert.deepEqual(config.clusters[0]!.hosts.map((h) => h.weight), [1, 4, 9]);
    assert.equal(config.clusters[0]!.lbType, "LB_WEIGHTED_ROUNDROBIN");
    const tcp = config.servers[0]!.listeners[0]!.filterChains[0]!.filters[0]!.config as TcpProxyConfig;
    assert.equal(tcp.maxConnectAttempts, 3);
    assert.deepEqual(tcp.routes[0], {
      cluster: "weightedCluster",
      sourceAddrs: [{ address: "10.0.0.0", length: 8 }],
      destinationAddrs: [{ address: "127.0.0.1", length: 32 }],
      sourcePorts: [{ min: 1024, max: 65535 }],
      destinationPorts: [{ min: 3047, max: 3047 }],
    });
  });

  it("original-destination listeners and a virtual (unbound) listener", () => {
    const { config, warnings } = loadFixture("mosn-original-dst.json");
    assert.deepEqual(warnings, [
      ignored("servers[0].default_log_path"),
      ignored("servers[0].listeners[0].use_original_dst"),
      ignored("servers[0].listeners[0].listener_filters"),
    ]);
    assert.deepEqual(config.servers[0]!.listeners.map((l) => [l.name, l.bindPort]), [["redirectListener", true], [
      "virtualListener",
      false,
    ]]);
  });

  it("a hand-written YAML file: anchor-only keys, merge keys, yes/on/off, layered_runtime, top-level stream_filters, a trailing ---", () => {
    const { config, warnings } = loadFixture("mosn-anchors.yaml");
    const unknown = (path: string) => `${path}: unknown field, ignored`;
    assert.deepEqual(warnings, [
      unknown("listener_defaults"),
      unknown("cluster_defaults"),
      unknown("timeouts"),
      unknown("proxy"),
      unknown("stream_filters"),
      unknown("layered_runtime"),
      ignored("pprof"),
      ignored("servers[0].default_log_path"),
      ignored("servers[0].listeners[0].inspector"),
    ]);
    const [server, probe] = config.servers[0]!.listeners;
    assert.deepEqual(
      [server!.name, server!.bindPort, server!.idleTimeoutMs, server!.bufferLimitBytes, server!.address],
      ["serverListener", true, 120_000, 32768, { host: "127.0.0.1", port: 2046 }],
    );
    // Keys written after the merge key win over the merged ones.
    assert.deepEqual([probe!.name, probe!.bindPort, probe!.idleTimeoutMs], ["adminProbe", false, 0]);
    const tcp = server!.filterChains[0]!.filters[0]!.config as TcpProxyConfig;
    assert.deepEqual([tcp.statPrefix, tcp.cluster, tcp.maxConnectAttempts], ["ingress", "serverCluster", 2]);
    assert.equal(probe!.filterChains[0]!.filters[0]!.type, "echo");
    const cluster = config.clusters[0]!;
    // In a list of merged mappings the earlier one wins: 500ms, not the defaults' 3s.
    assert.deepEqual(
      [cluster.name, cluster.type, cluster.lbType, cluster.connectTimeoutMs, cluster.maxRequestPerConn],
      ["serverCluster", "SIMPLE", "LB_WEIGHTED_ROUNDROBIN", 500, 1024],
    );
    assert.deepEqual(cluster.hosts.map((h) => h.weight), [3, 1]);
  });
});

// mosn/mosn's own HTTP sample configs, copied unchanged: examples/codes/http-sample and
// configs/mosn_config.json at v0.26.0 and at 707d635 (where they differ), and
// configs/mosn_config_dev.json at v0.26.0, which routes through a connection_manager filter.
// The L7 `proxy` filter is a stand-in here (test-helpers.ts) that reads MOSN's keys.

function request(path: string): HeaderMap {
  const h = new HeaderMap();
  for (const [k, v] of [[":method", "GET"], [":scheme", "http"], [":authority", "127.0.0.1:2045"], [":path", path]]) {
    h.add(k!, v!);
  }
  return h;
}

/** Where each router sends GET / (cluster, or the direct response). */
function routes(config: ReturnType<typeof loadFixture>["config"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, router] of config.routers) {
    const m = router.route(request("/"), Math.random);
    out[name] = m === undefined
      ? "none"
      : m.kind === "forward"
      ? `cluster ${m.route.cluster}`
      : m.kind === "direct"
      ? `${m.status} ${m.body}`
      : m.location;
  }
  return out;
}

function proxies(config: ReturnType<typeof loadFixture>["config"]): ProxyFilterConfig[] {
  return config.servers.flatMap((s) =>
    s.listeners.flatMap((l) =>
      l.filterChains[0]!.filters.filter((f) => f.type === "proxy").map((f) => f.config as ProxyFilterConfig)
    )
  );
}

describe("MOSN's HTTP sample configs load, warning only about what we ignore", () => {
  for (const version of ["v0.26.0", "707d635"]) {
    const top = version === "v0.26.0" ? "close_graceful" : "disable_upgrade";

    it(`examples/codes/http-sample at ${version}: client and server`, () => {
      const client = loadFixture(`mosn-${version}-http-sample-client.json`);
      assert.deepEqual(client.warnings, [ignored(top), ignored("admin"), ignored("servers[0].default_log_path")]);
      assert.deepEqual(routes(client.config), { client_router: "cluster clientCluster" });
      assert.deepEqual(
        proxies(client.config).map((p) => [p.downstreamProtocols, p.upstreamProtocol, p.routerConfigName]),
        [[["Http1"], version === "v0.26.0" ? "Http1" : undefined, "client_router"]],
      );
      const server = loadFixture(`mosn-${version}-http-sample-server.json`);
      assert.deepEqual(server.warnings, [ignored(top), ignored("admin"), ignored("servers[0].default_log_path")]);
      assert.deepEqual(routes(server.config), { server_router: "cluster serverCluster" });
      assert.deepEqual(server.config.clusters[0]!.hosts.map((h) => h.address), [{ host: "127.0.0.1", port: 8080 }]);
    });
  }

  it("configs/mosn_config.json at v0.26.0: two routers, Auto and Http1 proxies", () => {
    const { config, warnings } = loadFixture("mosn-v0.26.0-mosn-config.json");
    assert.deepEqual(warnings, [ignored("admin"), ignored("servers[0].default_log_path")]);
    assert.deepEqual(routes(config), {
      server_router: "cluster serverCluster",
      client_router: "cluster clientCluster",
    });
    assert.deepEqual(proxies(config).map((p) => [p.downstreamProtocols, p.upstreamProtocol, p.routerConfigName]), [[
      "Auto",
      undefined,
      "server_router",
    ], [["Http1"], "Http1", "client_router"]]);
  });

  it("configs/mosn_config.json at 707d635: a third router answering with a direct response", () => {
    const { config, warnings } = loadFixture("mosn-707d635-mosn-config.json");
    assert.deepEqual(warnings, [ignored("admin"), ignored("servers[0].default_log_path")]);
    assert.deepEqual(routes(config), {
      server_router: "cluster serverCluster",
      client_router: "cluster clientCluster",
      application: "200 Welcome to MOSN!\nThe Cloud-Native Network Proxy Platform.\n",
    });
    assert.deepEqual(proxies(config).map((p) => [p.downstreamProtocols, p.upstreamProtocol, p.routerConfigName]), [
      [["Http1"], undefined, "application"],
      ["Auto", undefined, "server_router"],
      [["Http1"], undefined, "client_router"],
    ]);
  });

  it("configs/mosn_config_dev.json at v0.26.0: routes from a connection_manager filter beside the proxy", () => {
    const { config, warnings } = loadFixture("mosn-v0.26.0-mosn-config-dev.json");
    assert.deepEqual(warnings, [
      ignored("metrics"),
      ignored("admin"),
      ignored("pprof"),
      ignored("servers[0].default_log_path"),
      ignored("servers[0].processor"),
      ignored("servers[0].listeners[0].log_path"),
    ]);
    assert.deepEqual(routes(config), { grpc_router: "cluster grpcCluster" });
    const [proxy, cm] = config.servers[0]!.listeners[0]!.filterChains[0]!.filters;
    assert.equal(
      (proxy!.config as ProxyFilterConfig).routerConfigName,
      "grpc_router",
      "extend_config's http2_use_stream: false asks for nothing, so no warning",
    );
    assert.equal((cm!.config as ConnectionManagerConfig).router, config.routers.get("grpc_router"));
  });
});

// mosn/mosn's own RPC sample configs, copied unchanged: examples/codes/dubbo and
// examples/codes/sofarpc-with-xprotocol-sample, client and server, at v0.26.0 (`X` with
// extend_config.sub_protocol, close_graceful) and at v1.6.0 (unchanged since v1.0.0: the
// protocol named directly as downstream_protocol, disable_upgrade). The dubbo pair names its
// clusters with a capitalised "Name" and gives each filter chain an empty tls_context; the
// sofarpc server puts MOSN's `healthcheck` stream filter on its listener.

/** The cluster an RPC request for `service` routes to, per router. */
function rpcRoutes(config: ReturnType<typeof loadFixture>["config"], service: string): Record<string, string> {
  const h = new HeaderMap();
  h.add("service", service);
  const out: Record<string, string> = {};
  for (const [name, router] of config.routers) {
    const m = router.route(h, Math.random);
    out[name] = m?.kind === "forward" ? `${m.route.cluster}` : m === undefined ? "none" : m.kind;
  }
  return out;
}

describe("MOSN's RPC sample configs load, warning only about what we ignore", () => {
  const healthcheck =
    "servers[0].listeners[0].stream_filters[0].config: healthcheck has nothing to do: SOFARPC heartbeats are answered by the xprotocol codec before any stream filter runs, as MOSN's own stream layer answers them (MOSN dropped this filter in v0.11)";

  for (const version of ["v0.26.0", "v1.6.0"]) {
    const top = version === "v0.26.0" ? "close_graceful" : "disable_upgrade";

    it(`examples/codes/dubbo at ${version}: "Name" names the cluster, tls_context {} and tracing are no trouble`, () => {
      for (const side of ["client", "server"]) {
        const { config, warnings } = loadFixture(`mosn-${version}-dubbo-${side}.json`);
        assert.deepEqual(warnings, [
          ignored(top),
          ignored("tracing"),
          ignored("servers[0].default_log_path"),
          ignored("servers[0].listeners[0].log_path"),
        ]);
        const cluster = `${side}Cluster`;
        assert.deepEqual(config.clusters.map((c) => c.name), [cluster], `"Name" fills name, as Go's decoder does`);
        assert.deepEqual(rpcRoutes(config, "org.apache.dubbo.demo.DemoService:1.0.0"), { [`${side}_router`]: cluster });
        assert.deepEqual(
          proxies(config).map((p) => [p.downstreamProtocols, p.upstreamProtocol, p.routerConfigName]),
          [[["dubbo"], undefined, `${side}_router`]],
        );
        const listener = config.servers[0]!.listeners[0]!;
        assert.deepEqual(listener.address, {
          host: side === "client" ? "0.0.0.0" : "127.0.0.1",
          port: 2045 + +(side === "server"),
        });
        assert.deepEqual(config.clusters[0]!.hosts.map((h) => h.address), [
          { host: "127.0.0.1", port: side === "client" ? 2046 : 20880 },
        ]);
      }
    });

    it(`examples/codes/sofarpc-with-xprotocol-sample at ${version}: the server's healthcheck filter loads with a warning saying why it has nothing to do`, () => {
      const client = loadFixture(`mosn-${version}-sofarpc-xprotocol-client.json`);
      assert.deepEqual(client.warnings, [ignored(top), ignored("admin"), ignored("servers[0].default_log_path")]);
      assert.deepEqual(rpcRoutes(client.config, "com.alipay.test.TestService:1.0"), { client_router: "clientCluster" });
      const server = loadFixture(`mosn-${version}-sofarpc-xprotocol-server.json`);
      assert.deepEqual(server.warnings, [
        ignored(top),
        ignored("admin"),
        ignored("servers[0].default_log_path"),
        healthcheck,
      ]);
      assert.deepEqual(server.config.servers[0]!.listeners[0]!.streamFilters.map((f) => f.type), ["healthcheck"]);
      assert.deepEqual(rpcRoutes(server.config, "com.alipay.test.TestService:1.0"), { server_router: "serverCluster" });
      for (const { config } of [client, server]) {
        assert.deepEqual(proxies(config).map((p) => [p.downstreamProtocols, p.upstreamProtocol]), [[
          ["bolt"],
          undefined,
        ]]);
      }
      assert.deepEqual(server.config.clusters[0]!.hosts.map((h) => h.address), [{ host: "127.0.0.1", port: 8080 }]);
    });
  }
});
