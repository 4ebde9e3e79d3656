import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../test/support/bytes.ts";
import { startProxy, type TestProxy } from "../../test/support/proxy.ts";
import { assert, describe, it } from "../../test/support/test-api.ts";
import { loadConfig } from "../config/load.ts";
import { createDefaultRegistry } from "../registry.ts";
import { DEFAULT_GRACEFUL_TIMEOUT_MS, gracefulTimeoutMs } from "../server/server.ts";
import { GracefulStop } from "./graceful-stop.ts";

const ticks = () => sleep(0);

const ECHO = (graceful = "") => `
servers:
  - ${graceful}
    listeners:
      - name: echo
        address: 127.0.0.1:0
        filter_chains: [{ filters: [{ type: echo }] }]
`;

async function setUp(drainTimeoutMs = 1000) {
  const clock = new ManualClock();
  const rt = new MemoryRuntime({ clock });
  const proxy: TestProxy = await startProxy(rt, ECHO());
  const lines: string[] = [];
  let stopped = 0;
  const stop = new GracefulStop(proxy.server, {
    timers: rt,
    drainTimeoutMs,
    out: (l) => lines.push(l),
    onStopped: () => stopped++,
  });
  const port = proxy.port("echo");
  const connect = async () => new Recorder(await rt.connect({ host: "127.0.0.1", port }));
  return { clock, rt, proxy, lines, stop, port, connect, stopped: () => stopped };
}

describe("GracefulStop", () => {
  it("with no connection open, a drain stops at once", async () => {
    const t = await setUp();
    t.stop.step("drain", "SIGTERM");
    await ticks();
    assert.deepEqual(t.lines, ["isthmus: SIGTERM: closing listeners", "isthmus: stopped"]);
    assert.equal(t.stopped(), 1);
  });

  it("refuses new connections at once, lets open ones finish, stops when the last closes", async () => {
    const t = await setUp();
    const c = await t.connect();
    await ticks();
    t.stop.step("drain", "SIGTERM");
    await ticks();
    assert.deepEqual(t.lines, ["isthmus: SIGTERM: closing listeners", "isthmus: draining 1 connection for up to 1s"]);
    await assert.rejects(t.rt.connect({ host: "127.0.0.1", port: t.port }), /ECONNREFUSED/);
    c.socket.write(text("still served"));
    await withTimeout(c.waitFor(12), 2000, "echo during the drain");
    assert.equal(str(c.bytes()), "still served");
    assert.equal(t.stopped(), 0);
    c.socket.end();
    await withTimeout(c.closedP, 2000, "close");
    await ticks();
    assert.equal(t.lines.at(-1), "isthmus: stopped");
    assert.equal(t.stopped(), 1);
    // The drain timer was cleared: the period ending later does nothing more.
    t.clock.advance(5000);
    assert.equal(t.stopped(), 1);
  });

  it("closes what is still open when the drain period ends", async () => {
    const t = await setUp(2000);
    const [a, b] = [await t.connect(), await t.connect()];
    await ticks();
    t.stop.step("drain", "SIGTERM");
    await ticks();
    t.clock.advance(1999);
    await ticks();
    assert.equal(a.ended || b.ended, false);
    assert.equal(t.stopped(), 0);
    t.clock.advance(1);
    // The proxy's side closes: the client reads EOF.
    await withTimeout(Promise.all([a.endedP, b.endedP]), 2000, "closed at the end of the drain");
    assert.deepEqual(t.lines.slice(1), [
      "isthmus: draining 2 connections for up to 2s",
      "isthmus: drain period over: closing 2 connections",
      "isthmus: stopped",
    ]);
    assert.equal(t.stopped(), 1);
  });

  it("a stop now during the drain closes every connection at once", async () => {
    const t = await setUp(30_000);
    const c = await t.connect();
    await ticks();
    t.stop.step("drain", "SIGTERM");
    await ticks();
    t.stop.step("now", "SIGTERM again");
    assert.equal(t.stopped(), 1);
    await withTimeout(c.endedP, 2000, "closed now");
    assert.deepEqual(t.lines.slice(2), ["isthmus: SIGTERM again: closing 1 connection now", "isthmus: stopped"]);
    t.stop.step("now", "SIGINT");
    assert.equal(t.stopped(), 1);
  });

  it("a stop now from running closes listeners and connections at once", async () => {
    const t = await setUp();
    const c = await t.connect();
    await ticks();
    t.stop.step("now", "SIGINT");
    assert.equal(t.stopped(), 1);
    await withTimeout(c.endedP, 2000, "closed now");
    await ticks();
    await assert.rejects(t.rt.connect({ host: "127.0.0.1", port: t.port }), /ECONNREFUSED/);
    assert.deepEqual(t.lines, ["isthmus: SIGINT: closing listeners and 1 connection", "isthmus: stopped"]);
  });
});

// The quickstart's shape: a proxy whose upstream is a listener of the same process.
const HTTP = `
servers:
  - listeners:
      - name: front
        address: 127.0.0.1:8080
        filter_chains: [{ filters: [{ type: proxy, config: { downstream_protocol: Http1, router_config_name: front } }] }]
      - name: backend
        address: 127.0.0.1:8081
        filter_chains: [{ filters: [{ type: proxy, config: { downstream_protocol: Http1, router_config_name: backend } }] }]
    routers:
      - router_config_name: front
        virtual_hosts: [{ name: all, domains: ["*"], routers: [{ match: { prefix: "/" }, route: { cluster_name: backend } }] }]
      - router_config_name: backend
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers: [{ match: { prefix: "/" }, direct_response: { status: 200, body: "hi" } }]
cluster_manager:
  clusters: [{ name: backend, type: SIMPLE, lb_type: LB_ROUNDROBIN, hosts: [{ address: "127.0.0.1:8081" }] }]
`;

describe("GracefulStop with HTTP", () => {
  it("idle keep-alive connections, downstream and pooled upstream, do not hold the drain", async () => {
    const rt = new MemoryRuntime({ clock: new ManualClock() });
    const proxy = await startProxy(rt, HTTP);
    const lines: string[] = [];
    let stopped = 0;
    const stop = new GracefulStop(proxy.server, {
      timers: rt,
      drainTimeoutMs: 30_000,
      out: (l) => lines.push(l),
      onStopped: () => stopped++,
    });
    const until = (cond: () => boolean, what: string) =>
      withTimeout(
        (async () => {
          while (!cond()) await ticks();
        })(),
        2000,
        what,
      );
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("front") }));
    try {
      c.socket.write(text("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
      await until(() => str(c.bytes()).endsWith("hi"), "the whole response");
      assert.equal(c.ended, false, "kept alive");
      stop.step("drain", "SIGTERM");
      await withTimeout(c.endedP, 2000, "the idle client connection closed");
      c.socket.end(); // as a client does when the server closes
      await until(() => stopped > 0, "stopped without waiting for the drain period");
      assert.equal(lines[0], "isthmus: SIGTERM: closing listeners");
      assert.equal(lines.at(-1), "isthmus: stopped");
      assert.ok(!lines.some((l) => l.includes("drain period over")));
    } finally {
      await proxy.stop();
    }
  });
});

describe("graceful_timeout", () => {
  const period = (yaml: string) => {
    const loaded = loadConfig(yaml, "t.yaml", createDefaultRegistry());
    return { ms: gracefulTimeoutMs(loaded.config), warnings: loaded.warnings };
  };

  it("is read from the server, without a warning, and defaults to MOSN's 30s", () => {
    assert.deepEqual(period(ECHO("graceful_timeout: 5s")), { ms: 5000, warnings: [] });
    assert.equal(period(ECHO()).ms, DEFAULT_GRACEFUL_TIMEOUT_MS);
    assert.equal(DEFAULT_GRACEFUL_TIMEOUT_MS, 30_000);
    // Zero is Go's zero value: MOSN keeps its default.
    assert.equal(period(ECHO("graceful_timeout: 0s")).ms, 30_000);
  });

  it("is one value for the process: the last server that sets it wins, as in MOSN", () => {
    const two = `
servers:
  - graceful_timeout: 5s
    listeners: [{ name: a, address: "127.0.0.1:0", filter_chains: [{ filters: [{ type: echo }] }] }]
  - graceful_timeout: 7s
    listeners: [{ name: b, address: "127.0.0.1:1", filter_chains: [{ filters: [{ type: echo }] }] }]
  - listeners: [{ name: c, address: "127.0.0.1:2", filter_chains: [{ filters: [{ type: echo }] }] }]
`;
    assert.equal(period(two).ms, 7000);
  });

  it("a bad value names its path", () => {
    assert.throws(() => period(ECHO("graceful_timeout: soon")), /servers\[0\]\.graceful_timeout/);
  });
});
