// The L7 proxy over HTTP/1.1 through the real adapter of the runtime running this file, with
// node:http as the client and the server on either side (node:http runs on deno and bun too).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { Recorder, str, text, withTimeout } from "../support/bytes.ts";
import { startProxy } from "../support/proxy.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

function proxyYaml(upstreamPort: number, extraRoutes = ""): string {
  return `
servers:
  - listeners:
      - name: http
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config:
                  downstream_protocol: Http1
                  router_config_name: edge
    routers:
      - router_config_name: edge
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
${extraRoutes}
              - match: { prefix: "/" }
                route: { cluster_name: backend, timeout: 5s }
cluster_manager:
  clusters:
    - name: backend
      connect_timeout: 2s
      hosts: [{ address: "127.0.0.1:${upstreamPort}" }]
`;
}

/** A node:http upstream: echoes the request body back, with what it saw in headers. */
async function echoServer(): Promise<{ server: http.Server; port: number; seen: http.IncomingHttpHeaders[] }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      res.setHeader("x-upstream-path", req.url ?? "");
      res.setHeader("x-upstream-method", req.method ?? "");
      if (req.url?.startsWith("/stream")) {
        res.write(body);
        res.end();
      } else {
        res.setHeader("content-length", String(body.length));
        res.end(body);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(
  port: number,
  opts: {
    method?: string;
    path?: string;
    body?: Uint8Array;
    agent?: http.Agent;
    headers?: Record<string, string>;
    chunked?: boolean;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: opts.method ?? "GET",
        path: opts.path ?? "/",
        agent: opts.agent,
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on(
          "end",
          () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (opts.body) {
      if (opts.chunked) {
        // Several writes without a length: node sends them chunked.
        const third = Math.ceil(opts.body.length / 3);
        req.write(opts.body.subarray(0, third));
        req.write(opts.body.subarray(third, 2 * third));
        req.end(opts.body.subarray(2 * third));
      } else {
        req.end(opts.body);
      }
    } else {
      req.end();
    }
  });
}

describe(`HTTP/1.1 proxy over ${runtimeName()} sockets with node:http peers`, () => {
  it("GET and POST through the proxy, keep-alive, X-Forwarded-For seen upstream", async () => {
    const up = await echoServer();
    const proxy = await startProxy(await nativeRuntime(), proxyYaml(up.port));
    const port = proxy.port("http");
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const get = await withTimeout(request(port, { path: "/a/b?c=1", agent }), 5000, "GET");
      assert.equal(get.status, 200);
      assert.equal(get.headers["x-upstream-path"], "/a/b?c=1");
      const post = await withTimeout(
        request(port, { method: "POST", path: "/echo", body: text("hello upstream"), agent }),
        5000,
        "POST",
      );
      assert.equal(post.status, 200);
      assert.equal(post.body.toString(), "hello upstream");
      assert.equal(up.seen[0]!["x-forwarded-for"], "127.0.0.1");
      assert.equal(up.seen[0]!["x-forwarded-proto"], "http");
      assert.equal(proxy.stat("listener.http.downstream_cx_total"), 1, "one client connection for both requests");
      assert.equal(proxy.stat("cluster.backend.upstream_cx_total"), 1, "one upstream connection for both requests");
      assert.equal(proxy.stat("http.http.downstream_rq_2xx"), 2);
    } finally {
      agent.destroy();
      await proxy.stop();
      up.server.close();
    }
  });

  it("1 MiB chunked upload echoed back streamed, byte-exact", async () => {
    const up = await echoServer();
    const proxy = await startProxy(await nativeRuntime(), proxyYaml(up.port));
    try {
      const body = new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
      const r = await withTimeout(
        request(proxy.port("http"), { method: "PUT", path: "/stream", body, chunked: true }),
        20000,
        "1 MiB through",
      );
      assert.equal(r.status, 200);
      assert.equal(r.headers["transfer-encoding"], "chunked");
      assert.equal(r.body.length, body.length);
      assert.ok(Buffer.from(body).equals(r.body), "the body came back changed");
    } finally {
      await proxy.stop();
      up.server.close();
    }
  });

  it("100 requests over 10 keep-alive connections all answered", async () => {
    const up = await echoServer();
    const proxy = await startProxy(await nativeRuntime(), proxyYaml(up.port));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
    try {
      const replies = await withTimeout(
        Promise.all(
          Array.from(
            { length: 100 },
            (_, i) => request(proxy.port("http"), { method: "POST", path: `/n/${i}`, body: text(`body ${i}`), agent }),
          ),
        ),
        20000,
        "100 requests",
      );
      replies.forEach((r, i) => assert.equal(r.body.toString(), `body ${i}`));
      assert.ok(
        proxy.stat("cluster.backend.upstream_cx_total") <= 10,
        `${proxy.stat("cluster.backend.upstream_cx_total")} upstream connections`,
      );
    } finally {
      agent.destroy();
      await proxy.stop();
      up.server.close();
    }
  });

  it("503 when the upstream refuses, 404 without a route, and the connection stays usable", async () => {
    const up = await echoServer();
    const port = up.port;
    up.server.close();
    const rt = await nativeRuntime();
    const proxy = await startProxy(
      rt,
      proxyYaml(
        port,
        `              - match: { prefix: "/nothing" }\n                direct_response: { status: 404, body: "nothing here" }`,
      ),
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const down = await withTimeout(request(proxy.port("http"), { agent }), 5000, "503");
      assert.equal(down.status, 503);
      assert.match(down.body.toString(), /upstream connect error|no healthy upstream/);
      const none = await withTimeout(request(proxy.port("http"), { path: "/nothing", agent }), 5000, "404");
      assert.equal(none.status, 404);
      assert.equal(none.body.toString(), "nothing here");
      assert.equal(proxy.stat("listener.http.downstream_cx_total"), 1);
    } finally {
      agent.destroy();
      await proxy.stop();
    }
  });

  it("a smuggling attempt gets 400 and a close; another client's requests are untouched", async () => {
    const up = await echoServer();
    const rt = await nativeRuntime();
    const proxy = await startProxy(rt, proxyYaml(up.port));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await request(proxy.port("http"), { agent });
      assert.equal(before.status, 200);
      const evil = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("http") }));
      evil.socket.write(
        text(
          "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n",
        ),
      );
      await withTimeout(Promise.race([evil.endedP, evil.closedP]), 5000, "the smuggler's connection closed");
      assert.match(str(evil.bytes()), /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.equal(up.seen.filter((h) => h.host === "a").length, 0, "nothing of it reached the upstream");
      const after = await request(proxy.port("http"), { agent });
      assert.equal(after.status, 200);
    } finally {
      agent.destroy();
      await proxy.stop();
      up.server.close();
    }
  });
});
