// Real third-party peers through the HTTP proxy: undici's client (what Node's fetch is made of)
// and ws's WebSocket client and server across an upgrade the proxy turns into a tunnel.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
// By path: Bun answers the bare "undici" specifier with its own partial stand-in, which is not
// the peer this test means to use.
import { Client } from "../../node_modules/undici/index.js";
import WebSocket, { WebSocketServer } from "ws";
import { withTimeout } from "../support/bytes.ts";
import { startProxy } from "../support/proxy.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

function proxyYaml(upstreamPort: number): string {
  return `
servers:
  - listeners:
      - name: http
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: proxy
                config: { downstream_protocol: Http1, router_config_name: edge }
    routers:
      - router_config_name: edge
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { prefix: "/" }
                route: { cluster_name: backend }
cluster_manager:
  clusters:
    - name: backend
      hosts: [{ address: "127.0.0.1:${upstreamPort}" }]
`;
}

async function listening(server: http.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as AddressInfo).port;
}

describe(`third-party HTTP peers through the proxy on ${runtimeName()}`, () => {
  it("undici: pipelined keep-alive requests with bodies, in order", async () => {
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => res.end(`${req.method} ${req.url} ${body}`));
    });
    const port = await listening(server);
    const proxy = await startProxy(await nativeRuntime(), proxyYaml(port));
    const client = new Client(`http://127.0.0.1:${proxy.port("http")}`, { pipelining: 4 });
    try {
      const replies = await withTimeout(
        Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const r = await client.request({ method: "POST", path: `/item/${i}`, body: `payload-${i}` });
            return `${r.statusCode} ${await r.body.text()}`;
          }),
        ),
        10000,
        "20 undici requests",
      );
      replies.forEach((r, i) => assert.equal(r, `200 POST /item/${i} payload-${i}`));
      assert.equal(proxy.stat("listener.http.downstream_cx_total"), 1, "undici pipelined everything on one connection");
    } finally {
      await client.close();
      await proxy.stop();
      server.close();
    }
  });

  it("ws: a WebSocket upgrade becomes a tunnel; messages flow both ways and close cleanly", async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    wss.on("connection", (socket) => {
      socket.on("message", (data, isBinary) => socket.send(isBinary ? data : `echo: ${data}`, { binary: isBinary }));
    });
    const port = await listening(server);
    const proxy = await startProxy(await nativeRuntime(), proxyYaml(port));
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port("http")}/chat`);
    try {
      await withTimeout(
        new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject))),
        5000,
        "handshake through the proxy",
      );
      const got: string[] = [];
      const three = new Promise<void>((resolve) =>
        ws.on("message", (data) => {
          got.push(String(data));
          if (got.length === 3) resolve();
        })
      );
      ws.send("one");
      ws.send("two");
      ws.send("x".repeat(100_000));
      await withTimeout(three, 5000, "three echoes");
      assert.deepEqual(got.slice(0, 2), ["echo: one", "echo: two"]);
      assert.equal(got[2], "echo: " + "x".repeat(100_000));
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      ws.close(1000, "done");
      assert.equal(await withTimeout(closed, 5000, "close handshake"), 1000);
    } finally {
      ws.terminate();
      await proxy.stop();
      wss.close();
      server.close();
    }
  });
});
