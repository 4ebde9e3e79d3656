// MOSN's own HTTP sample (examples/codes/http-sample: a client-side proxy on :2045 in front of a
// server-side proxy on :2046 in front of an HTTP server on :8080), served as MOSN serves it,
// with only its ports changed: a request to the client side reaches the server through both.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFixture } from "../support/test-api.ts";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { withTimeout } from "../support/bytes.ts";
import { startProxy } from "../support/proxy.ts";
import { freePorts, nativeRuntime, runtimeName } from "../support/runtime.ts";

const fixture = (name: string) => readFixture(new URL(`../../core/config/testdata/${name}`, import.meta.url));

function get(port: number, path: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on("error", reject);
  });
}

describe(`MOSN's http-sample served on ${runtimeName()}`, () => {
  for (const version of ["v0.26.0", "707d635"]) {
    it(`${version}: client proxy -> server proxy -> HTTP server, ports changed only`, async () => {
      const [client, server, app] = await freePorts(3);
      const seen: http.IncomingHttpHeaders[] = [];
      const appServer = http.createServer((req, res) => {
        seen.push(req.headers);
        res.setHeader("content-type", "text/plain");
        res.end(`hello from the app, ${req.url}`);
      });
      await new Promise<void>((r) => appServer.listen(app, "127.0.0.1", r));
      assert.equal((appServer.address() as AddressInfo).port, app);
      const move = (text: string) =>
        text.replaceAll("127.0.0.1:2045", `127.0.0.1:${client}`).replaceAll("127.0.0.1:2046", `127.0.0.1:${server}`)
          .replaceAll("127.0.0.1:8080", `127.0.0.1:${app}`);
      const rt = await nativeRuntime();
      const serverSide = await startProxy(rt, move(fixture(`mosn-${version}-http-sample-server.json`)));
      const clientSide = await startProxy(rt, move(fixture(`mosn-${version}-http-sample-client.json`)));
      try {
        const r = await withTimeout(get(client, "/some/path?x=1"), 5000, "request through both proxies");
        assert.equal(r.status, 200);
        assert.equal(r.body, "hello from the app, /some/path?x=1");
        assert.equal(seen[0]!["x-forwarded-for"], "127.0.0.1, 127.0.0.1", "each hop appended the address it saw");
        assert.equal(clientSide.stat("cluster.clientCluster.upstream_rq_total"), 1);
        assert.equal(serverSide.stat("cluster.serverCluster.upstream_rq_total"), 1);
      } finally {
        await clientSide.stop();
        await serverSide.stop();
        appServer.close();
      }
    });
  }

  it("configs/mosn_config.json at v0.26.0: both proxies in one process (an Auto listener among them) in front of the app", async () => {
    const [client, server, app] = await freePorts(3);
    const appServer = http.createServer((req, res) => res.end(`app saw ${req.method} ${req.url}`));
    await new Promise<void>((r) => appServer.listen(app, "127.0.0.1", r));
    const text = fixture("mosn-v0.26.0-mosn-config.json").replaceAll("127.0.0.1:2045", `127.0.0.1:${client}`)
      .replaceAll("127.0.0.1:2046", `127.0.0.1:${server}`).replaceAll("127.0.0.1:8080", `127.0.0.1:${app}`);
    const proxy = await startProxy(await nativeRuntime(), text);
    try {
      const r = await withTimeout(get(client, "/hello"), 5000, "through both listeners");
      assert.equal(r.status, 200);
      assert.equal(r.body, "app saw GET /hello");
    } finally {
      await proxy.stop();
      appServer.close();
    }
  });

  it("configs/mosn_config.json at MOSN's HEAD: three listeners, the last answering with its direct response", async () => {
    const [client, server, app] = await freePorts(3);
    const text = fixture("mosn-707d635-mosn-config.json").replaceAll("127.0.0.1:2045", `127.0.0.1:${client}`)
      .replaceAll("127.0.0.1:2046", `127.0.0.1:${server}`).replaceAll("127.0.0.1:2047", `127.0.0.1:${app}`);
    const proxy = await startProxy(await nativeRuntime(), text);
    try {
      const r = await withTimeout(get(client, "/"), 5000, "through three listeners");
      assert.equal(r.status, 200);
      assert.equal(r.body, "Welcome to MOSN!\nThe Cloud-Native Network Proxy Platform.\n");
    } finally {
      await proxy.stop();
    }
  });
});
