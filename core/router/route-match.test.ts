import { assert, describe, it } from "../../test/support/test-api.ts";
import { headersOf, infoOf, never, outcome, request, routerOf, routesOf } from "./test-helpers.ts";

const to = (cluster: string, match: Record<string, unknown>) => ({ match, route: { cluster_name: cluster } });

describe("route matching", () => {
  it("prefix: case-sensitive, on the path before the query", () => {
    const { router } = routesOf([to("api", { prefix: "/api" })]);
    const got = ["/api", "/api/v1", "/apix", "/API", "/ap?i=/api", "/"].map((p) =>
      outcome(router.route(request("a", p), never))
    );
    assert.deepEqual(got, ["forward api", "forward api", "forward api", "none", "none", "none"]);
  });

  it("path: the whole path, ignoring ASCII case as MOSN does, query excluded", () => {
    const { router } = routesOf([to("exact", { path: "/Login" })]);
    const got = ["/login", "/LOGIN?next=/x", "/login/", "/logi", "/login?"].map((p) =>
      outcome(router.route(request("a", p), never))
    );
    assert.deepEqual(got, ["forward exact", "forward exact", "none", "none", "forward exact"]);
  });

  it("regex: found anywhere in the path as Go's MatchString, never in the query", () => {
    const { router } = routesOf([to("loose", { regex: "/v[0-9]+/" }), to("anchored", { regex: "^/static/.*\\.css$" })]);
    const got = ["/api/v2/users", "/static/a.css", "/static/a.css?v=1", "/x?u=/v1/", "/static/a.cssx"].map((p) =>
      outcome(router.route(request("a", p), never))
    );
    assert.deepEqual(got, ["forward loose", "forward anchored", "forward anchored", "none", "none"]);
  });

  it("the first matching route wins, in order", () => {
    const { router } = routesOf([
      to("first", { prefix: "/a" }),
      to("second", { prefix: "/a/b" }),
      to("rest", { prefix: "/" }),
    ]);
    assert.deepEqual(["/a/b", "/b"].map((p) => outcome(router.route(request("a", p), never))), [
      "forward first",
      "forward rest",
    ]);
  });

  it("headers: every one must be present and match its first value; pseudo-keys too", () => {
    const { router } = routesOf([
      to("both", {
        prefix: "/",
        headers: [{ name: "X-Env", value: "canary" }, { name: ":method", value: "^(PUT|POST)$", regex: true }],
      }),
      to("env", { prefix: "/", headers: [{ name: "x-env", value: "canary" }] }),
      to("rest", { prefix: "/" }),
    ]);
    const got = [
      request("a", "/", { ":method": "POST", "x-env": "canary" }),
      request("a", "/", { ":method": "GET", "x-env": "canary" }),
      request("a", "/", { "x-env": "Canary" }),
      headersOf([[":authority", "a"], [":path", "/"], ["x-env", "other"], ["x-env", "canary"]]),
    ].map((h) => outcome(router.route(h, never)));
    assert.deepEqual(got, ["forward both", "forward env", "forward rest", "forward rest"]);
  });

  it("headers: a regex is found anywhere in the value; a matcher without a value takes only an empty one, as MOSN", () => {
    const { router } = routesOf([
      to("mobile", { prefix: "/", headers: [{ name: "user-agent", value: "Mobile", regex: true }] }),
      to("empty", { prefix: "/", headers: [{ name: "x-flag" }] }),
    ]);
    const got = [
      request("a", "/", { "user-agent": "Mozilla/5.0 (iPhone) Mobile/15" }),
      request("a", "/", { "x-flag": "" }),
      request("a", "/", { "x-flag": "1" }),
      request("a", "/"),
    ].map((h) => outcome(router.route(h, never)));
    assert.deepEqual(got, ["forward mobile", "forward empty", "none", "none"]);
  });

  it("headers: host, method (in an HTTP route) and MOSN's request variables name the pseudo-keys", () => {
    const { router } = routesOf([
      to("host", { prefix: "/", headers: [{ name: "Host", value: "h.example" }] }),
      to("method", { prefix: "/", headers: [{ name: "method", value: "DELETE" }] }),
      to("mosn-method", { prefix: "/", headers: [{ name: "x-mosn-method", value: "PATCH" }] }),
      to("mosn-path", { prefix: "/", headers: [{ name: "x-mosn-path", value: "/only" }] }),
      to("mosn-host", { prefix: "/", headers: [{ name: "x-mosn-host", value: "^m\\.", regex: true }] }),
    ]);
    const got = [
      request("h.example", "/"),
      request("a", "/", { ":method": "DELETE" }),
      request("a", "/", { ":method": "PATCH" }),
      request("a", "/only?x=1"),
      request("m.example", "/"),
    ].map((h) => outcome(router.route(h, never)));
    assert.deepEqual(got, [
      "forward host",
      "forward method",
      "forward mosn-method",
      "forward mosn-path",
      "forward mosn-host",
    ]);
  });

  it("query parameters: exact, regex and presence; first occurrence; values percent-decoded", () => {
    const { router } = routesOf([
      to("exact", { prefix: "/", query_parameters: [{ name: "v", value: "a b" }] }),
      to("regex", { prefix: "/", query_parameters: [{ name: "id", value: "^[0-9]+$", regex: true }] }),
      to("present", { prefix: "/", query_parameters: [{ name: "debug" }] }),
    ]);
    const cases: [string, string][] = [
      ["/?v=a%20b", "forward exact"],
      ["/?x=1&v=a b", "forward exact"],
      ["/?v=a+b", "none"],
      ["/?v=other&v=a%20b", "none"],
      ["/?id=42", "forward regex"],
      ["/?id=4x2", "none"],
      ["/?debug", "forward present"],
      ["/?debug=", "forward present"],
      ["/?debugx=1", "none"],
      ["/?xdebug", "none"],
      ["/?v=%zz", "none"],
      ["/", "none"],
    ];
    for (const [path, want] of cases) assert.equal(outcome(router.route(request("a", path), never)), want, path);
  });

  it("all conditions of a match must hold together", () => {
    const { router } = routesOf([
      to("all", { prefix: "/api", headers: [{ name: "x-a", value: "1" }], query_parameters: [{ name: "q" }] }),
    ]);
    const got = [
      request("a", "/api?q", { "x-a": "1" }),
      request("a", "/api", { "x-a": "1" }),
      request("a", "/api?q"),
      request("a", "/web?q", { "x-a": "1" }),
    ].map((h) => outcome(router.route(h, never)));
    assert.deepEqual(got, ["forward all", "none", "none", "none"]);
  });

  it("a route without a path match takes every path and requests without one (RPC)", () => {
    const { router } = routesOf([
      to("svc", { headers: [{ name: "service", value: "com.example.Echo" }] }),
      to("any", {}),
    ]);
    const rpc = headersOf({ service: "com.example.Echo", method: "echo" });
    assert.deepEqual([outcome(router.route(rpc, never)), outcome(router.route(headersOf({ service: "x" }), never))], [
      "forward svc",
      "forward any",
    ]);
    assert.equal(outcome(router.route(request("a", "/x"), never)), "forward any");
  });

  it("a path match never takes a request without a :path", () => {
    const { router } = routesOf([to("p", { prefix: "/" })]);
    assert.equal(router.route(headersOf({ service: "x" }), never), undefined);
  });

  it("MOSN's lone service header with .* takes any service, as its RPC fast match", () => {
    const { router } = routesOf([to("any-service", { headers: [{ name: "service", value: ".*" }] })]);
    const got = [headersOf({ service: "com.a.B" }), headersOf({ service: "" }), headersOf({ method: "x" })].map((h) =>
      outcome(router.route(h, never))
    );
    assert.deepEqual(got, ["forward any-service", "none", "none"]);
    // In an HTTP route (or beside other headers) ".*" is just an exact value.
    const http = routesOf([to("literal", { prefix: "/", headers: [{ name: "service", value: ".*" }] })]).router;
    assert.deepEqual(
      [request("a", "/", { service: "x" }), request("a", "/", { service: ".*" })].map((h) =>
        outcome(http.route(h, never))
      ),
      ["none", "forward literal"],
    );
  });

  it("picks the virtual host by :authority before matching its routes", () => {
    const { router } = routerOf({
      router_config_name: "r",
      virtual_hosts: [
        { name: "api", domains: ["api.example.com", "api.example.com:*"], routers: [to("api", { prefix: "/" })] },
        { name: "wild", domains: ["*.example.com"], routers: [to("wild", { prefix: "/" })] },
        { name: "fallback", domains: ["*"], routers: [to("fallback", { prefix: "/only" })] },
      ],
    });
    const got = ["api.example.com:8443", "x.example.com", "other.org"].map((a) =>
      outcome(router.route(request(a, "/"), never))
    );
    assert.deepEqual(got, ["forward api", "forward wild", "none"]);
    assert.equal(outcome(router.route(request("other.org", "/only"), never)), "forward fallback");
    assert.equal(outcome(router.route(request(undefined, "/only"), never)), "forward fallback");
  });

  it("has no virtual host for an authority nothing claims", () => {
    const { router } = routerOf({
      router_config_name: "r",
      virtual_hosts: [{ domains: ["a.com"], routers: [to("a", {})] }],
    });
    assert.equal(router.route(request("b.com", "/"), never), undefined);
    assert.equal(outcome(router.route(request("A.COM", "/"), never)), "forward a");
  });

  it("names the route for logs", () => {
    const { router } = routerOf({
      router_config_name: "edge",
      virtual_hosts: [{ domains: ["a"], routers: [to("x", { prefix: "/x" }), to("y", {})] }, {
        name: "named",
        domains: ["*"],
        routers: [to("z", {})],
      }],
    });
    assert.deepEqual(infoOf(router.route(request("a", "/y"), never)), {
      routerConfigName: "edge",
      virtualHost: "virtual_hosts[0]",
      routeIndex: 1,
      name: "edge/virtual_hosts[0]/1",
    });
    assert.deepEqual(infoOf(router.route(request("b", "/"), never)), {
      routerConfigName: "edge",
      virtualHost: "named",
      routeIndex: 0,
      name: "edge/named/0",
    });
    const forward = router.route(request("b", "/"), never);
    assert.equal(forward?.kind === "forward" && forward.route.name, "edge/named/0");
  });
});
