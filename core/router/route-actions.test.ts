import { assert, describe, it } from "../../test/support/test-api.ts";
import type { HeaderMap } from "../stream/header-map.ts";
import {
  entries,
  headersOf,
  never,
  outcome,
  request,
  rewriteResponseOf,
  routerOf,
  routesOf,
  sequence,
} from "./test-helpers.ts";
import type { ForwardRoute, RouteMatch } from "./types.ts";

function forward(m: RouteMatch | undefined): ForwardRoute {
  if (m?.kind !== "forward") assert.fail(`expected a forward route, got ${m?.kind}`);
  return m.route;
}

const add = (key: string, value: string, append?: boolean) => ({
  header: { key, value },
  ...(append === undefined ? {} : { append }),
});

describe("route actions: clusters", () => {
  it("cluster_name: the same frozen result for every request", () => {
    const { router } = routesOf([{ match: { prefix: "/" }, route: { cluster_name: "backend" } }]);
    const a = forward(router.route(request("a", "/x"), never));
    const b = forward(router.route(request("b", "/y"), never));
    assert.equal(a.cluster, "backend");
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a));
  });

  it("weighted_clusters: each takes its weight's share of the random range, weight 0 never", () => {
    const { router } = routesOf([
      {
        match: { prefix: "/" },
        route: {
          weighted_clusters: [{ cluster: { name: "a", weight: 1 } }, { cluster: { name: "none", weight: 0 } }, {
            cluster: { name: "b", weight: 3 },
          }],
        },
      },
    ]);
    const pick = (r: number) => forward(router.route(request("h", "/"), () => r)).cluster;
    assert.deepEqual([0, 0.24, 0.25, 0.5, 0.99, 1].map(pick), ["a", "a", "b", "b", "b", "b"]);
    const counts = new Map<string, number>();
    const random = sequence(...Array.from({ length: 400 }, (_, i) => i / 400));
    for (let i = 0; i < 400; i++) {
      const c = forward(router.route(request("h", "/"), random)).cluster!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    assert.deepEqual([...counts].sort(), [["a", 100], ["b", 300]]);
    // One match per weighted cluster, made once; Math.random when no source is given.
    assert.equal(router.route(request("h", "/"), () => 0), router.route(request("h", "/"), () => 0.1));
    assert.ok(["a", "b"].includes(forward(router.route(request("h", "/"))).cluster!));
  });

  it("cluster_header: the cluster the request's header names, or none without one", () => {
    const { router } = routesOf([{ match: { prefix: "/" }, route: { cluster_header: "X-Cluster" } }]);
    assert.equal(forward(router.route(request("h", "/", { "x-cluster": "blue" }), never)).cluster, "blue");
    assert.equal(forward(router.route(request("h", "/", { "x-cluster": "" }), never)).cluster, undefined);
    const missing = forward(router.route(request("h", "/"), never));
    assert.equal(missing.cluster, undefined);
    assert.equal(forward(router.route(request("h", "/"), never)), missing);
  });

  it("timeout, retry policy, mirror policies and upstream protocol", () => {
    const { router } = routesOf([
      {
        match: { prefix: "/slow" },
        route: {
          cluster_name: "c",
          timeout: "1.5s",
          upstream_protocol: "Http2",
          retry_policy: { retry_on: true, retry_timeout: "200ms", num_retries: 2, status_codes: [503] },
        },
        request_mirror_policies: { cluster: "shadow", percent: 25 },
      },
      {
        match: { prefix: "/" },
        route: { cluster_name: "c", retry_policy: { retry_timeout: "1s" } },
        request_mirror_policies: [{ cluster: "m1", percent: 100 }, { cluster: "m2", percent: 1 }],
      },
    ]);
    const slow = forward(router.route(request("h", "/slow"), never));
    assert.deepEqual([slow.timeoutMs, slow.upstreamProtocol], [1500, "Http2"]);
    assert.deepEqual(slow.retryPolicy, { retryOn: true, numRetries: 2, perTryTimeoutMs: 200, statusCodes: [503] });
    assert.deepEqual(slow.mirrorPolicies.map((m) => [m.cluster, m.percent]), [["shadow", 25]]);
    const mirror = slow.mirrorPolicies[0]!;
    assert.deepEqual([0, 0.24, 0.25, 0.99].map((r) => mirror.sampled(() => r)), [true, true, false, false]);
    const rest = forward(router.route(request("h", "/"), never));
    assert.deepEqual([rest.timeoutMs, rest.upstreamProtocol], [undefined, undefined]);
    // retry_on false still sets the per-try timeout (MOSN's parseProxyTimeout); 0 retries means MOSN's 3.
    assert.deepEqual(rest.retryPolicy, { retryOn: false, numRetries: 3, perTryTimeoutMs: 1000, statusCodes: [] });
    const noTryTimeout = forward(
      routesOf([{ route: { cluster_name: "c", retry_policy: { retry_on: true } } }]).router.route(
        request("h", "/"),
        never,
      ),
    );
    assert.equal(noTryTimeout.retryPolicy?.perTryTimeoutMs, 0);
    assert.deepEqual(rest.mirrorPolicies.map((m) => [m.cluster, m.sampled(() => 0.999), m.sampled(() => 0)]), [[
      "m1",
      true,
      true,
    ], ["m2", false, true]]);
    const bare = forward(routesOf([{ route: { cluster_name: "c" } }]).router.route(request("h", "/"), never));
    assert.deepEqual([bare.retryPolicy, bare.mirrorPolicies], [undefined, []]);
  });
});

describe("route actions: request rewrites", () => {
  it("prefix_rewrite replaces the matched prefix, keeps the query and records the original path", () => {
    const { router } = routesOf([
      { match: { prefix: "/api/" }, route: { cluster_name: "c", prefix_rewrite: "/" } },
      { match: { path: "/old" }, route: { cluster_name: "c", prefix_rewrite: "/new/place" } },
    ]);
    const h = request("h", "/api/users?id=1");
    forward(router.route(h, never)).rewriteRequest(h);
    assert.deepEqual([h.get(":path"), h.get("x-mosn-original-path")], ["/users?id=1", "/api/users?id=1"]);
    const p = request("h", "/OLD?x");
    forward(router.route(p, never)).rewriteRequest(p);
    assert.deepEqual([p.get(":path"), p.get("x-mosn-original-path")], ["/new/place?x", "/OLD?x"]);
  });

  it("prefix_rewrite leaves a path a filter changed after routing alone, as MOSN does", () => {
    const { router } = routesOf([{ match: { prefix: "/api/" }, route: { cluster_name: "c", prefix_rewrite: "/" } }]);
    const h = request("h", "/api/x");
    const m = forward(router.route(h, never));
    h.set(":path", "/elsewhere");
    m.rewriteRequest(h);
    assert.deepEqual([h.get(":path"), h.has("x-mosn-original-path")], ["/elsewhere", false]);
  });

  it("host_rewrite, auto_host_rewrite_header and auto_host_rewrite set :authority", () => {
    const { router } = routesOf([
      { match: { prefix: "/fixed" }, route: { cluster_name: "c", host_rewrite: "internal.svc:8080" } },
      { match: { prefix: "/header" }, route: { cluster_name: "c", auto_host_rewrite_header: "X-Target-Host" } },
      { match: { prefix: "/auto" }, route: { cluster_name: "c", auto_host_rewrite: true } },
      { match: { prefix: "/" }, route: { cluster_name: "c" } },
    ]);
    const run = (path: string, extra: Record<string, string> = {}, hostname = "app-1") => {
      const h = request("front.example", path, extra);
      const m = forward(router.route(h, never));
      m.rewriteRequest(h);
      m.rewriteHostForUpstream(h, hostname);
      return h.getAll(":authority");
    };
    assert.deepEqual(run("/fixed"), ["internal.svc:8080"]);
    assert.deepEqual(run("/header", { "x-target-host": "t.example" }), ["t.example"]);
    assert.deepEqual(run("/header"), ["front.example"]);
    assert.deepEqual(run("/auto"), ["app-1"]);
    assert.deepEqual(run("/auto", {}, ""), ["front.example"]);
    assert.deepEqual(run("/other"), ["front.example"]);
  });

  it("adds and removes request headers at the route, then the virtual host, then the router config", () => {
    const { router } = routerOf({
      router_config_name: "r",
      request_headers_to_add: [add("x-level", "router", false), add("x-router", "1")],
      request_headers_to_remove: ["x-vhost-secret"],
      virtual_hosts: [
        {
          domains: ["*"],
          request_headers_to_add: [add("x-level", "vhost", false), add("x-vhost-secret", "s")],
          request_headers_to_remove: ["X-Route"],
          routers: [
            {
              match: { prefix: "/" },
              route: {
                cluster_name: "c",
                request_headers_to_add: [add("X-Route", "r"), add("x-level", "route", false), add("x-multi", "two")],
                request_headers_to_remove: ["x-drop"],
              },
            },
          ],
        },
      ],
    });
    const h = request("h", "/", { "x-multi": "one", "x-drop": "d", "x-level": "client" });
    forward(router.route(h, never)).rewriteRequest(h);
    assert.deepEqual(entries(h), [
      [":method", "GET"],
      [":scheme", "http"],
      [":authority", "h"],
      [":path", "/"],
      ["x-multi", "one"],
      // Replaced in place by the route, then the virtual host, then the router config.
      ["x-level", "router"],
      ["x-multi", "two"],
      ["x-router", "1"],
    ]);
  });

  it("an added host replaces :authority", () => {
    const { router } = routesOf([{
      match: { prefix: "/" },
      route: { cluster_name: "c", request_headers_to_add: [add("Host", "h2.example")] },
    }]);
    const h = request("h1.example", "/");
    forward(router.route(h, never)).rewriteRequest(h);
    assert.deepEqual(h.getAll(":authority"), ["h2.example"]);
  });
});

describe("route actions: responses", () => {
  function responseOf(m: RouteMatch | undefined, init: Record<string, string> = {}): [string, string][] {
    const h: HeaderMap = headersOf({ ":status": "200", ...init });
    rewriteResponseOf(m)?.(h);
    return entries(h);
  }

  const levels = (routes: unknown[]) =>
    routerOf({
      router_config_name: "r",
      response_headers_to_add: [add("x-router", "1")],
      response_headers_to_remove: ["x-vhost"],
      virtual_hosts: [{
        domains: ["*"],
        response_headers_to_add: [add("x-vhost", "1"), add("x-via", "vh")],
        response_headers_to_remove: ["server"],
        routers: routes,
      }],
    }).router;

  it("adds and removes response headers at the route, then the virtual host, then the router config", () => {
    const router = levels([{
      match: { prefix: "/" },
      route: {
        cluster_name: "c",
        response_headers_to_add: [add("x-via", "route")],
        response_headers_to_remove: ["x-powered-by"],
      },
    }]);
    const got = responseOf(router.route(request("h", "/"), never), { server: "app", "x-powered-by": "php" });
    assert.deepEqual(got, [[":status", "200"], ["x-via", "route"], ["x-via", "vh"], ["x-router", "1"]]);
  });

  it("direct_response: status and body, one frozen result, with the virtual host's and router's response headers", () => {
    const router = levels([{
      match: { prefix: "/" },
      direct_response: { status: 503, body: "down for maintenance\n" },
    }]);
    const m = router.route(request("h", "/x"), never);
    assert.equal(outcome(m), "direct 503 down for maintenance\n");
    assert.equal(m, router.route(request("h", "/y"), never));
    assert.ok(Object.isFrozen(m));
    assert.deepEqual(responseOf(m), [[":status", "200"], ["x-via", "vh"], ["x-router", "1"]]);
    const empty = routesOf([{ direct_response: { status: 204 } }]).router.route(request("h", "/"), never);
    assert.equal(outcome(empty), "direct 204 ");
  });

  it("redirect: the request's URL with the configured parts swapped in, 301 by default, query kept", () => {
    const { router } = routesOf([
      {
        match: { prefix: "/all" },
        redirect: {
          response_code: 308,
          scheme_redirect: "HTTPS",
          host_redirect: "new.example",
          path_redirect: "/moved",
        },
      },
      { match: { prefix: "/path" }, redirect: { path_redirect: "/p2" } },
      { match: { prefix: "/https" }, redirect: { scheme_redirect: "https", response_code: 302 } },
      { match: { prefix: "/http" }, redirect: { scheme_redirect: "http" } },
    ]);
    const loc = (authority: string | undefined, path: string, scheme = "http") =>
      outcome(router.route(request(authority, path, { ":scheme": scheme }), never));
    assert.equal(loc("old.example", "/all/x?q=1"), "redirect 308 https://new.example/moved?q=1");
    assert.equal(loc("old.example:8080", "/path?"), "redirect 301 http://old.example:8080/p2");
    // Changing the scheme drops a port that was the other scheme's default, and only that one.
    assert.equal(loc("a.example:80", "/https?x"), "redirect 302 https://a.example/https?x");
    assert.equal(loc("a.example:8080", "/https"), "redirect 302 https://a.example:8080/https");
    assert.equal(loc("[::1]:443", "/http", "https"), "redirect 301 http://[::1]/http");
    assert.equal(loc("a.example:443", "/https", "https"), "redirect 302 https://a.example:443/https");
    assert.equal(loc(undefined, "/path"), "redirect 301 http:///p2");
  });
});
