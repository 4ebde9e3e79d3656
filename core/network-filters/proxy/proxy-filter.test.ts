import { assert, describe, it } from "../../../test/support/test-api.ts";
import { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../../test/support/bytes.ts";
import { startProxy } from "../../../test/support/proxy.ts";
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../errors.ts";
import type { Socket } from "../../net/socket.ts";
import { createDefaultRegistry } from "../../registry.ts";
import type { ProxyFilterConfig } from "./config.ts";

function config(proxy: string, routerName = "r"): string {
  return `
servers:
  - listeners:
      - name: http
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config: ${proxy}
    routers:
      - router_config_name: ${routerName}
        virtual_hosts: [{ name: all, domains: ["*"], routers: [{ match: { prefix: "/" }, route: { cluster_name: backend } }] }]
cluster_manager:
  clusters:
    - name: backend
      hosts: [{ address: "127.0.0.1:9400" }]
`;
}

function parsed(proxy: string): ProxyFilterConfig {
  const { config: c } = loadConfig(config(proxy), "t.yaml", createDefaultRegistry());
  return c.servers[0]!.listeners[0]!.filterChains[0]!.filters[0]!.config as ProxyFilterConfig;
}

function refused(proxy: string, routerName?: string): ConfigError {
  try {
    loadConfig(config(proxy, routerName), "t.yaml", createDefaultRegistry());
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("loaded although it should not have");
}

describe("proxy filter config", () => {
  it("takes MOSN's protocol names in any case; Auto or none upstream means the downstream's", () => {
    assert.deepEqual(parsed("{ router_config_name: r, downstream_protocol: http1 }").downstreamProtocols, ["Http1"]);
    assert.equal(parsed("{ router_config_name: r }").downstreamProtocols, "Auto");
    assert.equal(
      parsed("{ router_config_name: r, downstream_protocol: Http1, upstream_protocol: Auto }").upstreamProtocol,
      undefined,
    );
    assert.equal(parsed("{ router_config_name: r, upstream_protocol: Http1 }").upstreamProtocol, "Http1");
    const p = parsed("{ router_config_name: r }");
    assert.equal(p.appendForwardedFor, true);
    assert.equal(p.maxRequestBodyBytes, 1024 * 1024);
  });

  it("refuses protocols not served yet, unknown ones with a hint, and a router that does not exist", () => {
    const h2 = refused("{ router_config_name: r, downstream_protocol: Http2 }");
    assert.equal(h2.path, "servers[0].listeners[0].filter_chains[0].filters[0].config.downstream_protocol");
    assert.match(h2.message, /"Http2" is not supported yet/);
    assert.match(refused("{ router_config_name: r, upstream_protocol: Htp1 }").message, /did you mean Http1\?/);
    const router = refused("{ router_config_name: edge }", "edges");
    assert.equal(router.path, "servers[0].listeners[0].filter_chains[0].filters[0].config.router_config_name");
    assert.match(router.message, /did you mean edges\?/);
    assert.match(refused("{ downstream_protocol: Http1 }").message, /router_config_name: required field is missing/);
  });

  it("takes MOSN's X with extend_config.sub_protocol, RPC names given directly, and lists to detect among", () => {
    const x = parsed(
      "{ router_config_name: r, downstream_protocol: X, upstream_protocol: X, extend_config: { sub_protocol: bolt } }",
    );
    assert.deepEqual([x.downstreamProtocols, x.upstreamProtocol], [["bolt"], undefined]);
    assert.deepEqual(parsed("{ router_config_name: r, downstream_protocol: Bolt }").downstreamProtocols, ["bolt"]);
    assert.deepEqual(
      parsed("{ router_config_name: r, downstream_protocol: X, extend_config: { sub_protocol: 'bolt,dubbo' } }")
        .downstreamProtocols,
      ["bolt", "dubbo"],
    );
    assert.deepEqual(
      parsed('{ router_config_name: r, downstream_protocol: "Http1,bolt" }').downstreamProtocols,
      ["Http1", "bolt"],
    );
    const noSub = refused("{ router_config_name: r, downstream_protocol: X }");
    assert.equal(noSub.path, "servers[0].listeners[0].filter_chains[0].filters[0].config.downstream_protocol");
    assert.match(noSub.message, /"X" needs extend_config.sub_protocol/);
    const typo = refused("{ router_config_name: r, downstream_protocol: X, extend_config: { sub_protocol: bolz } }");
    assert.equal(typo.path, "servers[0].listeners[0].filter_chains[0].filters[0].config.extend_config.sub_protocol");
    assert.match(typo.message, /did you mean bolt\?/);
    assert.match(refused("{ router_config_name: r, downstream_protocol: tars }").message, /not supported yet/);
  });

  it("refuses to forward an RPC request in another protocol", async () => {
    const rt = new MemoryRuntime();
    await assert.rejects(
      startProxy(rt, config("{ router_config_name: r, downstream_protocol: bolt, upstream_protocol: Http1 }")),
      /a bolt request cannot be forwarded as Http1/,
    );
  });
});

describe("proxy filter: append_x_forwarded_for", () => {
  it("false leaves X-Forwarded-For and X-Forwarded-Proto as the client sent them", async () => {
    const rt = new MemoryRuntime();
    const seen: string[] = [];
    await rt.listen({ host: "127.0.0.1", port: 9400 }, (s: Socket) => {
      s.ondata = (b) => {
        seen.push(str(b));
        s.write(text("HTTP/1.1 204 No Content\r\n\r\n"));
      };
    });
    const proxy = await startProxy(
      rt,
      config("{ router_config_name: r, downstream_protocol: Http1, append_x_forwarded_for: false }"),
    );
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("http") }));
    c.socket.write(text("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.9.9.9\r\n\r\n"));
    await withTimeout(
      (async () => {
        while (!str(c.bytes()).includes("204")) await sleep(0);
      })(),
      2000,
      "response",
    );
    assert.match(seen[0]!, /X-Forwarded-For: 10.9.9.9\r\n/);
    assert.doesNotMatch(seen[0]!, /x-forwarded-proto/i);
    await proxy.stop();
  });
});
