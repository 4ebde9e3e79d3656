import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../test/support/bytes.ts";
import type { ClusterConfig } from "../config/types.ts";
import { Connection } from "../net/connection.ts";
import { TimerLists } from "../net/timer-lists.ts";
import type { Socket } from "../net/socket.ts";
import { Logger } from "../observe/logger.ts";
import { Stats } from "../observe/stats.ts";
import { Pools } from "../pool/pools.ts";
import { ProxySession } from "../network-filters/proxy/session.ts";
import type { HeaderMap } from "../stream/header-map.ts";
import { http1Protocol } from "../stream/http1/protocol.ts";
import { ClusterManager } from "../upstream/cluster-manager.ts";
import { UpstreamConnectionFactory } from "../upstream/connection-factory.ts";
import { defaultLoadBalancers } from "../upstream/lb/index.ts";
import { seededRandom } from "../upstream/lb/test-random.ts";
import { DEFAULT_PROXY_SETTINGS, type ProxyContext } from "./context.ts";
import { createProxyStats } from "./proxy-stats.ts";
import type { ForwardRoute, RetryPolicy, RouteInfo, RouteMatch, RouterConfig } from "../router/types.ts";

const info: RouteInfo = { routerConfigName: "test", virtualHost: "all", routeIndex: 0, name: "test/all/0" };

function forward(
  cluster: string | undefined,
  opts: { timeoutMs?: number; retry?: Omit<RetryPolicy, "statusCodes">; addHeader?: [string, string] } = {},
): RouteMatch {
  const route: ForwardRoute = {
    name: "test",
    info,
    upstreamProtocol: undefined,
    cluster,
    rewriteRequest: (h: HeaderMap) => {
      if (opts.addHeader) h.add(opts.addHeader[0], opts.addHeader[1]);
    },
    rewriteHostForUpstream: () => {},
    rewriteResponse: (h: HeaderMap) => h.add("x-proxied-by", "isthmus"),
    timeoutMs: opts.timeoutMs,
    retryPolicy: opts.retry && { ...opts.retry, statusCodes: [] },
    mirrorPolicies: [],
  };
  return { kind: "forward", route };
}

/** Routes by path: /direct, /redirect, /nocluster, /empty, /timeout, /retry, else the `web` cluster. */
const router: RouterConfig = {
  name: "test",
  route(h) {
    const path = h.get(":path") ?? "";
    if (path === "/missing") return undefined;
    if (path === "/direct") {
      return {
        kind: "direct",
        status: 200,
        body: "from the proxy\n",
        info,
        rewriteResponse: (r) => r.add("x-direct", "1"),
      };
    }
    if (path === "/redirect") {
      return { kind: "redirect", status: 301, location: "http://elsewhere.example/", info, rewriteResponse: () => {} };
    }
    if (path === "/nocluster") return forward("nope");
    if (path === "/empty") return forward("empty");
    if (path.startsWith("/timeout")) return forward("web", { timeoutMs: 1000 });
    if (path.startsWith("/retry")) {
      return forward("web", {
        retry: { retryOn: true, numRetries: 2, perTryTimeoutMs: path === "/retry-slow" ? 300 : 0 },
      });
    }
    return forward("web", { addHeader: ["x-route", "web"] });
  },
};

type UpstreamBehaviour = (s: Socket, request: string) => void;

/** An HTTP/1 upstream that hands each complete request head (and what follows) to `behave`. */
async function upstream(rt: MemoryRuntime, port: number, behave: UpstreamBehaviour) {
  const accepted: Recorder[] = [];
  const requests: string[] = [];
  await rt.listen({ host: "127.0.0.1", port }, (s) => {
    const r = new Recorder(s);
    accepted.push(r);
    let seen = "";
    const ondata = s.ondata!;
    s.ondata = (b) => {
      ondata(b);
      seen += str(b);
      while (seen.includes("\r\n\r\n")) {
        const end = seen.indexOf("\r\n\r\n") + 4;
        const head = seen.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (seen.length < end + length) return;
        const request = seen.slice(0, end + length);
        seen = seen.slice(end + length);
        requests.push(request);
        behave(s, request);
      }
    };
  });
  return { accepted, requests };
}

const ok: UpstreamBehaviour = (s) => s.write(text("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

async function proxy(hostsPorts: number[], opts: { clock?: ManualClock } = {}) {
  const rt = new MemoryRuntime({ clock: opts.clock });
  const stats = new Stats();
  const clusters: ClusterConfig[] = [
    {
      name: "web",
      type: "SIMPLE",
      lbType: "LB_ROUNDROBIN",
      hosts: hostsPorts.map((port) => ({ address: { host: "127.0.0.1", port }, hostname: `h${port}`, weight: 1 })),
      connectTimeoutMs: 500,
      maxRequestPerConn: 0,
      connBufferLimitBytes: 65536,
    },
    {
      name: "empty",
      type: "SIMPLE",
      lbType: "LB_ROUNDROBIN",
      hosts: [],
      connectTimeoutMs: 500,
      maxRequestPerConn: 0,
      connBufferLimitBytes: 65536,
    },
  ];
  // Round robin from the first host, so which host a test hits is known.
  const clusterManager = new ClusterManager(clusters, defaultLoadBalancers(), () => 0, stats);
  const factory = new UpstreamConnectionFactory(rt);
  const logs: string[] = [];
  const ctx: ProxyContext = {
    runtime: rt,
    timers: new TimerLists(rt),
    clusterManager,
    connectionFactory: factory,
    pools: new Pools(factory, { runtime: rt, stats, logger: new Logger(() => {}, "info") }),
    router,
    protocols: new Map(),
    logger: new Logger((l) => logs.push(l), "info"),
    stats: createProxyStats(stats, "test"),
    codecEnv: { runtime: rt, stats, logger: new Logger(() => {}, "info") },
    random: seededRandom(3),
    settings: DEFAULT_PROXY_SETTINGS,
    streamFilters: [],
    name: "http",
  };
  const http1 = http1Protocol();
  await rt.listen({ host: "127.0.0.1", port: 80 }, (s) => {
    const conn = new Connection(s, { runtime: rt });
    conn.addReadFilter(
      new ProxySession(ctx, conn, { downstream: [http1], upstream: undefined, detectTimeoutMs: 1000 }),
    );
    conn.initializeReadFilters();
  });
  const connect = async () => {
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: 80 }));
    return {
      c,
      send: (s: string) => c.socket.write(text(s)),
      /** Waits until the response holds `count` complete responses (by status lines and bodies ending as given). */
      until: (cond: (s: string) => boolean, what = "response") =>
        withTimeout(
          (async () => {
            while (!cond(str(c.bytes())) && !c.closed) await sleep(0);
          })(),
          2000,
          what,
        ).then(() => str(c.bytes())),
    };
  };
  return { rt, stats, logs, connect, stat: (n: string) => stats.snapshot()[n] ?? 0 };
}

describe("L7 proxy over HTTP/1 (memory runtime)", () => {
  it("forwards a request and its response, with X-Forwarded-For, route and response rewrites", async () => {
    const p = await proxy([9200]);
    const up = await upstream(p.rt, 9200, ok);
    const { send, until } = await p.connect();
    send("GET /hello?x=1 HTTP/1.1\r\nHost: svc.example\r\nUser-Agent: t\r\n\r\n");
    const res = await until((s) => s.endsWith("ok"));
    assert.equal(res, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nx-proxied-by: isthmus\r\n\r\nok");
    assert.equal(
      up.requests[0],
      "GET /hello?x=1 HTTP/1.1\r\nhost: svc.example\r\nUser-Agent: t\r\nx-route: web\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\n\r\n",
    );
    assert.equal(p.stat("http.test.downstream_rq_total"), 1);
    assert.equal(p.stat("http.test.downstream_rq_2xx"), 1);
    assert.equal(p.stat("http.test.downstream_rq_active"), 0);
    assert.equal(p.stat("cluster.web.upstream_rq_total"), 1);
    assert.equal(p.stat("cluster.web.upstream_rq_active"), 0);
  });

  it("reuses the upstream connection across requests (keep-alive both sides)", async () => {
    const p = await proxy([9201]);
    const up = await upstream(p.rt, 9201, ok);
    const { send, until } = await p.connect();
    send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("ok"));
    send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.split("HTTP/1.1 200").length === 4, "three responses");
    assert.equal(up.accepted.length, 1);
    assert.equal(up.requests.length, 3);
    assert.equal(p.stat("cluster.web.upstream_cx_total"), 1);
  });

  it("answers what it can itself: 404 no route, direct response, redirect; the connection stays usable", async () => {
    const p = await proxy([9202]);
    await upstream(p.rt, 9202, ok);
    const { send, until } = await p.connect();
    send("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n");
    let res = await until((s) => s.endsWith("no route for this request\n"));
    assert.ok(res.startsWith("HTTP/1.1 404 Not Found\r\n"), res);
    send("GET /direct HTTP/1.1\r\nHost: a\r\n\r\n");
    res = await until((s) => s.endsWith("from the proxy\n"));
    assert.match(res, /x-direct: 1\r\n/, "the router's response headers apply to direct responses");
    send("GET /redirect HTTP/1.1\r\nHost: a\r\n\r\n");
    res = await until((s) => s.includes("location: http://elsewhere.example/\r\n") && s.endsWith("\r\n\r\n"));
    assert.match(
      res,
      /HTTP\/1.1 301 Moved Permanently\r\nlocation: http:\/\/elsewhere.example\/\r\ncontent-length: 0\r\n\r\n$/,
    );
    send("GET /fine HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("ok"));
    assert.equal(p.stat("http.test.no_route"), 1);
    assert.equal(p.stat("http.test.rq_direct_response"), 1);
    assert.equal(p.stat("http.test.rq_redirect"), 1);
  });

  it("normalizes the path before routing and forwarding: %-encoded letters and dot segments cannot dodge a route", async () => {
    const p = await proxy([9218]);
    const up = await upstream(p.rt, 9218, ok);
    const { send, until } = await p.connect();
    send("GET /%64irect HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("from the proxy\n"), "encoded letters");
    send("GET /public/../direct HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.split("from the proxy").length === 3, "dot segments");
    send("GET /x/./y%2fz?q=/../ HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("ok"));
    assert.match(up.requests[0]!, /^GET \/x\/y%2Fz\?q=\/..\/ HTTP\/1.1\r\n/);
    send("GET /bad%zz HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("malformed percent-encoding in the path\n"));
    assert.match(res, /HTTP\/1.1 400 Bad Request\r\n[^]*malformed percent-encoding in the path\n$/);
  });

  it("503 for an unknown cluster and for a cluster with no host", async () => {
    const p = await proxy([9203]);
    const { send, until } = await p.connect();
    send("GET /nocluster HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("unknown cluster nope\n"));
    send("GET /empty HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("no healthy upstream in cluster empty\n"));
    assert.equal(res.split("HTTP/1.1 503 Service Unavailable").length, 3);
  });

  it("a refused connect moves on to the next host; with none left, 503", async () => {
    const p = await proxy([9204, 9205]);
    await upstream(p.rt, 9205, ok);
    const { send, until } = await p.connect();
    send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("ok"));
    assert.equal(p.stat("cluster.web.upstream_cx_connect_fail"), 1);
    assert.equal(p.stat("cluster.web.upstream_rq_retry"), 1);
    const lone = await proxy([9206]);
    const c2 = await lone.connect();
    c2.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await c2.until((s) => s.includes("\r\n\r\n") && s.endsWith("\n"));
    assert.ok(res.startsWith("HTTP/1.1 503 "), res);
  });

  it("504 when the upstream does not answer within the route's timeout; the upstream connection is dropped", async () => {
    const clock = new ManualClock();
    const p = await proxy([9207], { clock });
    const up = await upstream(p.rt, 9207, () => {});
    const { send, until } = await p.connect();
    send("GET /timeout HTTP/1.1\r\nHost: a\r\n\r\n");
    await withTimeout(
      (async () => {
        while (up.requests.length === 0) await sleep(0);
      })(),
      2000,
      "request upstream",
    );
    clock.advance(999);
    await sleep(0);
    clock.advance(1);
    const res = await until((s) => s.endsWith("timeout after 1000ms\n"));
    assert.ok(res.startsWith("HTTP/1.1 504 Gateway Timeout\r\n"), res);
    await withTimeout(
      Promise.race([up.accepted[0]!.closedP, up.accepted[0]!.endedP]),
      2000,
      "upstream connection closed",
    );
    assert.equal(p.stat("cluster.web.upstream_rq_timeout"), 1);
    assert.equal(p.stat("cluster.web.upstream_rq_active"), 0);
  });

  it("502 for a malformed upstream response", async () => {
    const p = await proxy([9208]);
    await upstream(
      p.rt,
      9208,
      (s) => s.write(text("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")),
    );
    const { send, until } = await p.connect();
    send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("protocol_error\n"));
    assert.ok(res.startsWith("HTTP/1.1 502 Bad Gateway\r\n"), res);
  });

  it("an upstream that dies mid-response cuts the client's connection rather than ending it cleanly", async () => {
    const p = await proxy([9209]);
    await upstream(p.rt, 9209, (s) => {
      s.write(text("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"));
      // A reset discards what is still queued, so the crash comes once the bytes are through.
      setTimeout(() => s.destroy(new Error("crash")), 5);
    });
    const { c, send } = await p.connect();
    send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const err = await withTimeout(c.closedP, 2000, "client connection closed");
    assert.ok(err, "the client sees an abnormal close");
    assert.ok(str(c.bytes()).endsWith("partial"));
  });

  it("a client that leaves mid-request frees the upstream request and its connection", async () => {
    const p = await proxy([9210]);
    const up = await upstream(p.rt, 9210, () => {});
    const { c, send } = await p.connect();
    send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await withTimeout(
      (async () => {
        while (up.requests.length === 0) await sleep(0);
      })(),
      2000,
      "request upstream",
    );
    assert.equal(p.stat("cluster.web.upstream_rq_active"), 1);
    c.socket.destroy(new Error("client gone"));
    await withTimeout(
      Promise.race([up.accepted[0]!.closedP, up.accepted[0]!.endedP]),
      2000,
      "upstream connection closed",
    );
    assert.equal(p.stat("cluster.web.upstream_rq_active"), 0);
    assert.equal(p.stat("cluster.web.host.127.0.0.1:9210.rq_active"), 0);
    assert.equal(p.stat("http.test.downstream_rq_active"), 0);
    assert.equal(p.stat("http.test.downstream_rq_rx_reset"), 1);
  });

  it("retry_on: a 5xx is retried on the next host before anything reaches the client", async () => {
    const p = await proxy([9211, 9212]);
    await upstream(
      p.rt,
      9211,
      (s) => s.write(text("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy")),
    );
    const good = await upstream(p.rt, 9212, ok);
    const { send, until } = await p.connect();
    send("POST /retry HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    const res = await until((s) => s.endsWith("ok"));
    assert.ok(res.startsWith("HTTP/1.1 200 OK"), res);
    assert.ok(good.requests[0]!.endsWith("\r\n\r\nhello"), "the replayed request carries its body");
    assert.equal(p.stat("cluster.web.upstream_rq_retry"), 1);
  });

  it("per-try timeout retries on the next host", async () => {
    const clock = new ManualClock();
    const p = await proxy([9213, 9214], { clock });
    const slow = await upstream(p.rt, 9213, () => {});
    await upstream(p.rt, 9214, ok);
    const { send, until } = await p.connect();
    send("GET /retry-slow HTTP/1.1\r\nHost: a\r\n\r\n");
    await withTimeout(
      (async () => {
        while (slow.requests.length === 0) await sleep(0);
      })(),
      2000,
      "first try sent",
    );
    clock.advance(300);
    const res = await until((s) => s.endsWith("ok"));
    assert.ok(res.startsWith("HTTP/1.1 200 OK"));
    assert.equal(p.stat("cluster.web.upstream_rq_per_try_timeout"), 1);
  });

  it("streams a chunked request body and a chunked response through", async () => {
    const seen: string[] = [];
    // The upstream reads the chunked body raw and answers with a chunked response.
    const p2 = await proxy([9217]);
    await p2.rt.listen({ host: "127.0.0.1", port: 9217 }, (s) => {
      let got = "";
      s.ondata = (b) => {
        got += str(b);
        if (got.endsWith("0\r\n\r\n")) {
          seen.push(got);
          s.write(text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n"));
        }
      };
    });
    const { send, until } = await p2.connect();
    send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
    await sleep(0);
    send("2\r\nef\r\n0\r\n\r\n");
    const res = await until((s) => s.endsWith("0\r\n\r\n"));
    assert.match(seen[0]!, /transfer-encoding: chunked\r\n\r\n4\r\nabcd\r\n2\r\nef\r\n0\r\n\r\n$/);
    assert.ok(res.endsWith("transfer-encoding: chunked\r\n\r\n3\r\none\r\n3\r\ntwo\r\n0\r\n\r\n"), res);
  });
});
