import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../test/support/bytes.ts";
import { startProxy } from "../../test/support/proxy.ts";
import { readObject } from "../config/fields.ts";
import type { TimerHandle } from "../net/runtime.ts";
import type { Socket } from "../net/socket.ts";
import { createDefaultRegistry } from "../registry.ts";
import type { HeaderMap } from "../stream/header-map.ts";
import { type StreamFilter, type StreamFilterFactory, type StreamFilterHandle, StreamFilterStatus } from "./types.ts";

/** An HTTP/1 upstream on the memory network that records each request and answers with its body. */
async function upstream(rt: MemoryRuntime, port: number) {
  const requests: string[] = [];
  await rt.listen({ host: "127.0.0.1", port }, (s: Socket) => {
    let seen = "";
    s.ondata = (b) => {
      seen += str(b);
      for (;;) {
        const end = seen.indexOf("\r\n\r\n");
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(seen.slice(0, end))?.[1] ?? 0);
        if (seen.length < end + 4 + length) return;
        const request = seen.slice(0, end + 4 + length);
        seen = seen.slice(end + 4 + length);
        requests.push(request);
        const body = request.slice(end + 4);
        s.write(text(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length + 3}\r\n\r\nok:${body}`));
      }
    };
  });
  return requests;
}

/** A proxy listener with `filters` as its stream_filters, routing /* to an upstream on :9300. */
function yaml(filters: string): string {
  return `
servers:
  - listeners:
      - name: http
        address: 127.0.0.1:0
        stream_filters:
${filters}
        filter_chains:
          - filters:
              - type: proxy
                config: { downstream_protocol: Http1, router_config_name: r }
    routers:
      - router_config_name: r
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { prefix: "/" }
                route: { cluster_name: backend }
cluster_manager:
  clusters:
    - name: backend
      hosts: [{ address: "127.0.0.1:9300", hostname: up }]
`;
}

async function client(rt: MemoryRuntime, port: number) {
  const c = new Recorder(await rt.connect({ host: "127.0.0.1", port }));
  return {
    c,
    send: (s: string) => c.socket.write(text(s)),
    until: (cond: (s: string) => boolean, what = "response") =>
      withTimeout(
        (async () => {
          while (!cond(str(c.bytes())) && !c.closed) await sleep(0);
        })(),
        2000,
        what,
      ).then(() => str(c.bytes())),
  };
}

/** A test filter type, `probe`, whose config says its phase and what it does; calls land in `log`. */
function probeRegistry(log: string[]) {
  let timer: TimerHandle | undefined;
  const probe: StreamFilterFactory<{ name: string; phase: string; action: string }> = {
    type: "probe",
    configParser: {
      parseConfig: (raw, path, ctx) => {
        const f = readObject(raw, path, ctx, { fields: ["name", "phase", "action"] });
        return { name: f.requiredString("name"), phase: f.requiredString("phase"), action: f.string("action", "") };
      },
    },
    create(config, ctx) {
      return (h: StreamFilterHandle): StreamFilter => ({
        phase: config.phase as "before_route",
        onRequestHeaders(headers: HeaderMap) {
          log.push(`${config.name}:headers route=${h.route?.cluster ?? "-"} host=${h.host?.hostname ?? "-"}`);
          if (config.action === "hold") {
            timer = ctx.runtime.setTimer(100, () => h.continueRequest());
            return StreamFilterStatus.Stop;
          }
          if (config.action === "reply") {
            h.sendLocalReply(418, "short and stout\n");
            return StreamFilterStatus.Stop;
          }
          if (config.action === "buffer") return StreamFilterStatus.StopAndBuffer;
          if (config.action === "throw" && headers.get(":path") === "/boom") throw new Error("filter bug");
          headers.add("x-probe", config.name);
          return StreamFilterStatus.Continue;
        },
        onRequestBody(body) {
          log.push(`${config.name}:body ${str(body)}`);
          return text(str(body).toUpperCase());
        },
        onRequestData(chunk, end) {
          log.push(`${config.name}:data ${JSON.stringify(str(chunk))} ${end}`);
        },
        onResponseHeaders(headers) {
          log.push(`${config.name}:response ${headers.get(":status")}`);
          headers.add(`x-seen-by-${config.name}`, "1");
        },
        onResponseData(chunk) {
          return config.action === "shout" ? text(str(chunk).toUpperCase()) : undefined;
        },
        onDestroy() {
          log.push(`${config.name}:destroy`);
          if (timer !== undefined) ctx.runtime.clearTimer(timer);
        },
      });
    },
  };
  return createDefaultRegistry().addStreamFilter(probe);
}

const probe = (name: string, phase: string, action = "") =>
  `          - { type: probe, config: { name: ${name}, phase: ${phase}, action: "${action}" } }`;

describe("stream filters in the proxy", () => {
  it("run at MOSN's three request phases in phase order, see the route and host there, and see the response", async () => {
    const rt = new MemoryRuntime();
    const requests = await upstream(rt, 9300);
    const log: string[] = [];
    const config = yaml(
      [probe("c", "after_choose_host"), probe("a", "before_route"), probe("b", "after_route")].join("\n"),
    );
    const proxy = await startProxy(rt, config, { registry: probeRegistry(log) });
    const { send, until } = await client(rt, proxy.port("http"));
    send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("ok:"));
    assert.deepEqual(log.slice(0, 3), [
      "a:headers route=- host=-",
      "b:headers route=backend host=-",
      "c:headers route=backend host=up",
    ]);
    assert.deepEqual(log.slice(3, 6), ["c:response 200", "a:response 200", "b:response 200"]);
    // X-Forwarded-For goes in when the route is matched, between the first phase and the second.
    assert.match(
      requests[0]!,
      /x-probe: a\r\nx-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-probe: b\r\nx-probe: c\r\n/,
    );
    assert.match(res, /x-seen-by-c: 1\r\nx-seen-by-a: 1\r\nx-seen-by-b: 1\r\n/);
    await sleep(0);
    assert.deepEqual(log.slice(6).sort(), ["a:destroy", "b:destroy", "c:destroy"]);
    await proxy.stop();
  });

  it("a filter that stops the request holds it, body included, until it continues", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    const requests = await upstream(rt, 9300);
    const log: string[] = [];
    const proxy = await startProxy(rt, yaml(probe("hold", "after_route", "hold")), { registry: probeRegistry(log) });
    const { send, until } = await client(rt, proxy.port("http"));
    send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    await sleep(0);
    await sleep(0);
    assert.equal(requests.length, 0, "held");
    clock.advance(100);
    const res = await until((s) => s.endsWith("ok:hello"));
    assert.ok(res.startsWith("HTTP/1.1 200 OK"));
    assert.equal(requests.length, 1);
    await proxy.stop();
  });

  it("a filter's local reply ends the request; response filters see it too", async () => {
    const rt = new MemoryRuntime();
    const requests = await upstream(rt, 9300);
    const log: string[] = [];
    const config = yaml([probe("first", "before_route"), probe("teapot", "after_route", "reply")].join("\n"));
    const proxy = await startProxy(rt, config, { registry: probeRegistry(log) });
    const { send, until } = await client(rt, proxy.port("http"));
    send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("short and stout\n"));
    assert.ok(res.startsWith("HTTP/1.1 418 "), res);
    assert.match(res, /x-seen-by-first: 1\r\n/);
    assert.equal(requests.length, 0);
    await proxy.stop();
  });

  it("a filter that throws costs its request a 500, logged with [connId,streamId] and counted; the connection goes on", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9300);
    const proxy = await startProxy(rt, yaml(probe("buggy", "after_route", "throw")), { registry: probeRegistry([]) });
    const { send, until } = await client(rt, proxy.port("http"));
    send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("stream filter failed\n"));
    assert.ok(res.startsWith("HTTP/1.1 500 "), res);
    assert.equal(proxy.stat("http.http.stream_filter_error"), 1);
    assert.ok(
      proxy.logs.some((l) =>
        /\[ERROR\].*\[\d+,1\] stream filter failed in onRequestHeaders: Error: filter bug/.test(l)
      ),
      proxy.logs.join("\n"),
    );
    send("GET /fine HTTP/1.1\r\nHost: a\r\n\r\n");
    await until((s) => s.endsWith("ok:"));
    await proxy.stop();
  });

  it("StopAndBuffer hands over the whole body, whose replacement is what goes upstream", async () => {
    const rt = new MemoryRuntime();
    const requests = await upstream(rt, 9300);
    const log: string[] = [];
    const proxy = await startProxy(rt, yaml(probe("whole", "before_route", "buffer")), {
      registry: probeRegistry(log),
    });
    const { send, until } = await client(rt, proxy.port("http"));
    send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello ");
    await sleep(0);
    send("world");
    const res = await until((s) => s.endsWith("ok:HELLO WORLD"));
    assert.ok(res.startsWith("HTTP/1.1 200 OK"));
    assert.ok(log.includes("whole:body hello world"), log.join("\n"));
    assert.match(requests[0]!, /Content-Length: 11\r\n/);
    await proxy.stop();
  });

  it("a body past the limit for a whole-body filter gets 413", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9300);
    const proxy = await startProxy(rt, yaml(probe("whole", "before_route", "buffer")), { registry: probeRegistry([]) });
    const { send, until } = await client(rt, proxy.port("http"));
    const big = 1024 * 1024 + 10;
    send(`POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: ${big}\r\n\r\n`);
    const chunk = "x".repeat(64 * 1024);
    for (let sent = 0; sent < big; sent += chunk.length) {
      send(chunk.slice(0, Math.min(chunk.length, big - sent)));
      await sleep(0);
    }
    const res = await until((s) => s.includes("\r\n\r\n") && s.includes("over"));
    assert.ok(res.startsWith("HTTP/1.1 413 "), res.slice(0, 60));
    await proxy.stop();
  });

  it("data hooks may replace request and response chunks", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9300);
    const log: string[] = [];
    const proxy = await startProxy(rt, yaml(probe("loud", "before_route", "shout")), { registry: probeRegistry(log) });
    const { send, until } = await client(rt, proxy.port("http"));
    send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
    const res = await until((s) => s.endsWith("OK:ABC"));
    assert.ok(res.includes("OK:ABC"));
    assert.ok(log.some((l) => l.startsWith('loud:data "abc"')), log.join("\n"));
    await proxy.stop();
  });
});

describe("built-in stream filters", () => {
  it("fault: a 100% delay holds the request for fixed_delay; a 100% abort answers with its status", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    const requests = await upstream(rt, 9300);
    const proxy = await startProxy(
      rt,
      yaml(`          - { type: fault, config: { delay: { fixed_delay: 1s, percentage: 100 } } }`),
    );
    const { send, until } = await client(rt, proxy.port("http"));
    send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    await sleep(0);
    clock.advance(999);
    await sleep(0);
    assert.equal(requests.length, 0);
    clock.advance(1);
    await until((s) => s.endsWith("ok:"));
    assert.equal(proxy.stat("http.http.fault.delays_injected"), 1);
    await proxy.stop();

    const abort = await startProxy(
      rt,
      yaml(
        `          - { type: fault, config: { abort: { status: 503, percentage: 100 }, headers: [{ name: x-chaos, value: "1" }] } }`,
      ),
    );
    const c2 = await client(rt, abort.port("http"));
    c2.send("GET /calm HTTP/1.1\r\nHost: a\r\n\r\n");
    await c2.until((s) => s.endsWith("ok:"));
    c2.send("GET /chaos HTTP/1.1\r\nHost: a\r\nx-chaos: 1\r\n\r\n");
    const res = await c2.until((s) => s.endsWith("fault filter abort\n"));
    assert.match(res, /HTTP\/1.1 503 Service Unavailable\r\n/);
    assert.equal(abort.stat("http.http.fault.aborts_injected"), 1);
    await abort.stop();
  });

  it("header_mutation: adds before routing and on every response, the proxy's own included", async () => {
    const rt = new MemoryRuntime();
    const requests = await upstream(rt, 9300);
    const proxy = await startProxy(
      rt,
      yaml(`          - type: header_mutation
            config:
              request_headers_to_add: [{ header: { key: x-tenant, value: blue } }]
              request_headers_to_remove: [cookie]
              response_headers_to_add: [{ header: { key: x-frame-options, value: DENY }, append: false }]`),
    );
    const { send, until } = await client(rt, proxy.port("http"));
    send("GET /x HTTP/1.1\r\nHost: a\r\nCookie: secret\r\n\r\n");
    const res = await until((s) => s.endsWith("ok:"));
    assert.match(requests[0]!, /x-tenant: blue\r\n/);
    assert.doesNotMatch(requests[0]!, /secret/);
    assert.match(res, /x-frame-options: DENY\r\n/);
    await proxy.stop();
  });

  it("direct_response: the listener answers every request itself", async () => {
    const rt = new MemoryRuntime();
    const requests = await upstream(rt, 9300);
    const proxy = await startProxy(
      rt,
      yaml(
        `          - { type: direct_response, config: { status: 200, body: "pong\\n", headers: [{ key: content-type, value: text/plain }] } }`,
      ),
    );
    const { send, until } = await client(rt, proxy.port("http"));
    send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await until((s) => s.endsWith("pong\n"));
    assert.match(res, /^HTTP\/1.1 200 OK\r\ncontent-type: text\/plain\r\n/);
    assert.equal(requests.length, 0);
    await proxy.stop();
  });

  it("local_rate_limit: the bucket's burst passes, the next request gets 429, a refill lets one more through", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    await upstream(rt, 9300);
    const proxy = await startProxy(
      rt,
      yaml(
        `          - { type: local_rate_limit, config: { token_bucket: { max_tokens: 2, tokens_per_fill: 1, fill_interval: 1s } } }`,
      ),
    );
    const { send, until } = await client(rt, proxy.port("http"));
    for (let i = 0; i < 3; i++) {
      send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
      await until((s) => s.split("HTTP/1.1 ").length === i + 2 && (s.endsWith("ok:") || s.endsWith("exceeded\n")));
    }
    let res = await until(() => true);
    assert.deepEqual(res.match(/HTTP\/1.1 \d+/g), ["HTTP/1.1 200", "HTTP/1.1 200", "HTTP/1.1 429"]);
    clock.advance(1000);
    send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
    res = await until((s) => s.split("HTTP/1.1 ").length === 5 && s.endsWith("ok:"));
    assert.equal(proxy.stat("http.http.local_rate_limit.rate_limited"), 1);
    assert.equal(proxy.stat("http.http.local_rate_limit.ok"), 3);
    await proxy.stop();
  });

  it("mirror: the route's mirror policy shadows the request, body included, to its cluster; the answer is the real one", async () => {
    const rt = new MemoryRuntime();
    const real = await upstream(rt, 9300);
    const shadow: string[] = [];
    // The shadow never answers: the real request must not wait for it.
    await rt.listen({ host: "127.0.0.1", port: 9301 }, (s: Socket) => {
      s.ondata = (b) => shadow.push(str(b));
    });
    const config = (filters: string) => `
servers:
  - listeners:
      - name: http
        address: 127.0.0.1:0
        stream_filters:
${filters}
        filter_chains:
          - filters:
              - type: proxy
                config: { downstream_protocol: Http1, router_config_name: r }
    routers:
      - router_config_name: r
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { prefix: "/" }
                route: { cluster_name: backend }
                request_mirror_policies: { cluster: shadow, percent: 100 }
cluster_manager:
  clusters:
    - name: backend
      hosts: [{ address: "127.0.0.1:9300" }]
    - name: shadow
      hosts: [{ address: "127.0.0.1:9301" }]
`;
    const proxy = await startProxy(rt, config("          - { type: mirror, config: { amplification: 2 } }"));
    const { send, until } = await client(rt, proxy.port("http"));
    send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
    const res = await until((s) => s.endsWith("ok:hello"));
    assert.ok(res.startsWith("HTTP/1.1 200 OK"));
    await withTimeout(
      (async () => {
        while (shadow.join("").split("hello").length < 3) await sleep(0);
      })(),
      2000,
      "two copies",
    );
    assert.equal(real.length, 1);
    assert.match(shadow.join(""), /^POST \/x HTTP\/1.1\r\nhost: a\r\n/);
    assert.equal(proxy.stat("http.http.mirror.requests"), 2);
    await proxy.stop();

    // Without the mirror filter the policy does nothing, as in MOSN.
    const plain = await startProxy(rt, config("          - { type: header_mutation, config: {} }"));
    const c2 = await client(rt, plain.port("http"));
    const before = shadow.length;
    c2.send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
    await c2.until((s) => s.endsWith("ok:"));
    await sleep(0);
    assert.equal(shadow.length, before);
    await plain.stop();
  });
});
