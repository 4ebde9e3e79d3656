import { assert, describe, it } from "../../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../../adapters/memory/index.ts";
import type { Socket } from "../../net/socket.ts";
import { equalBytes, patternBytes, Recorder, sleep, str, text, withTimeout } from "../../../test/support/bytes.ts";
import { startProxy, tcpProxyYaml } from "../../../test/support/proxy.ts";

/** An upstream on the memory network that hands each accepted socket to the test. */
function upstream(rt: MemoryRuntime, port: number, onSocket: (s: Socket) => void = echo) {
  return rt.listen({ host: "127.0.0.1", port }, onSocket);
}

function echo(s: Socket): void {
  s.ondata = (b) => s.write(b);
  s.onend = () => s.end();
}

const ticks = () => sleep(0);

describe("tcp_proxy on the memory runtime", () => {
  it("pipes bytes both ways and counts them", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9001);
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9001"]));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    c.socket.write(text("hello through the proxy"));
    await withTimeout(c.waitFor(23), 2000, "echo");
    assert.equal(str(c.bytes()), "hello through the proxy");
    assert.equal(proxy.stat("listener.proxy.downstream_cx_total"), 1);
    assert.equal(proxy.stat("listener.proxy.downstream_cx_active"), 1);
    assert.equal(proxy.stat("listener.proxy.downstream_cx_rx_bytes_total"), 23);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_tx_bytes_total"), 23);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_active"), 1);
    assert.equal(proxy.stat("cluster.backend.upstream_rq_active"), 1);
    assert.equal(proxy.stat("cluster.backend.host.127.0.0.1:9001.cx_active"), 1);
    c.socket.end();
    await withTimeout(c.closedP, 2000, "close");
    await ticks();
    assert.equal(proxy.stat("listener.proxy.downstream_cx_active"), 0);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_active"), 0);
    assert.equal(proxy.stat("cluster.backend.upstream_rq_active"), 0);
    assert.equal(proxy.stat("cluster.backend.upstream_rq_total"), 1);
    assert.equal(proxy.stat("cluster.backend.host.127.0.0.1:9001.cx_active"), 0);
    assert.equal(
      proxy.stat("cluster.backend.upstream_cx_destroy_local") +
        proxy.stat("cluster.backend.upstream_cx_destroy_remote"),
      1,
    );
    await proxy.stop();
  });

  it("propagates half-close both ways: the reply after the client's FIN still arrives", async () => {
    const rt = new MemoryRuntime();
    let up!: Recorder;
    await upstream(rt, 9002, (s) => (up = new Recorder(s)));
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9002"]));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    c.socket.write(text("question"));
    c.socket.end();
    await withTimeout(
      (async () => {
        while (!up) await ticks();
        await up.endedP;
      })(),
      2000,
      "upstream sees FIN",
    );
    assert.equal(str(up.bytes()), "question");
    assert.equal(c.closed, false);
    up.socket.write(text("answer"));
    up.socket.end();
    await withTimeout(c.endedP, 2000, "client sees FIN");
    assert.equal(str(c.bytes()), "answer");
    assert.equal(await withTimeout(c.closedP, 2000, "client closed"), undefined);
    await proxy.stop();
  });

  it("refused upstream: downstream closed, failure counted and logged, next connection picks another host", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9003);
    // 127.0.0.1:9004 has no listener: refused.
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9003", "127.0.0.1:9004"]));
    const results: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
      c.socket.write(text("x"));
      await withTimeout(Promise.race([c.waitFor(1), c.closedP, c.endedP]), 2000, "reply or close");
      results.push(c.size === 1 ? "served" : "closed");
      c.socket.destroy();
    }
    assert.deepEqual(results.sort(), ["closed", "served"]);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_fail"), 1);
    assert.equal(proxy.stat("cluster.backend.host.127.0.0.1:9004.cx_connect_fail"), 1);
    assert.equal(proxy.stat("cluster.backend.host.127.0.0.1:9003.cx_connect_fail"), 0);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_attempts_exceeded"), 1);
    assert.ok(
      proxy.logs.some((l) => l.includes("[WARN]") && l.includes("127.0.0.1:9004") && /refused/i.test(l)),
      proxy.logs.join("\n"),
    );
    await proxy.stop();
  });

  it("max_connect_attempts retries the next host within one connection", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9005);
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9006", "127.0.0.1:9005"], { attempts: 2 }));
    for (let i = 0; i < 4; i++) {
      const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
      c.socket.write(text("y"));
      await withTimeout(c.waitFor(1), 2000, `connection ${i} served`);
      assert.equal(str(c.bytes()), "y");
      c.socket.destroy();
    }
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_fail"), 2);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_attempts_exceeded"), 0);
    await proxy.stop();
  });

  it("connect timeout closes the downstream and counts a timeout", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 9007);
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9007"], { connectTimeout: "250ms" }));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    c.socket.write(text("anyone?"));
    await ticks();
    clock.advance(249);
    await ticks();
    assert.equal(c.closed || c.ended, false, "closed before the timeout");
    clock.advance(1);
    await withTimeout(Promise.race([c.closedP, c.endedP]), 2000, "downstream closed after timeout");
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_timeout"), 1);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_fail"), 1);
    assert.ok(proxy.logs.some((l) => l.includes("timed out after 250ms")), proxy.logs.join("\n"));
    await proxy.stop();
  });

  it("idle_timeout closes a session with no traffic either way, activity postpones it", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    await upstream(rt, 9008);
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9008"], { idle: "10s" }));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    await ticks();
    clock.advance(9000);
    c.socket.write(text("keepalive"));
    await c.waitFor(9);
    clock.advance(9000);
    await ticks();
    assert.equal(c.closed || c.ended, false, "closed although there was traffic 9s ago");
    clock.advance(1001);
    await withTimeout(Promise.race([c.closedP, c.endedP]), 2000, "idle close");
    await proxy.stop();
  });

  it("slow reader: the proxy stops reading the upstream instead of buffering without bound", async () => {
    const rt = new MemoryRuntime();
    let up!: Socket;
    const limit = 16 * 1024;
    await rt.listen({ host: "127.0.0.1", port: 9009, highWaterMark: limit }, (s) => (up = s));
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9009"], { bufferLimit: limit }));
    const client = await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") });
    const c = new Recorder(client);
    client.pause();
    while (!up) await ticks();
    const chunk = patternBytes(4096, 5);
    let sent = 0;
    while (sent < 8 * 1024 * 1024 && up.write(chunk)) {
      sent += chunk.length;
      await ticks();
    }
    sent += chunk.length;
    // Backpressure reached the upstream after about one buffer limit per hop (the proxy's queue
    // to the client, the upstream's own queue to the proxy), not after 8 MiB.
    assert.ok(sent <= 3 * limit, `upstream wrote ${sent} bytes before feeling backpressure (limit ${limit})`);
    const queued = proxy.server.downstreamBufferedBytes;
    assert.ok(queued > 0 && queued <= limit + chunk.length, `proxy queued ${queued} bytes for the client`);
    client.resume();
    await withTimeout(c.waitFor(sent), 2000, "everything arrives after resume");
    assert.ok(equalBytes(c.bytes().subarray(0, 4096), chunk));
    await proxy.stop();
  });

  it("routes pick the cluster by source address, falling back to cluster", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9010, (s) => {
      s.write(text("A"));
      s.end();
    });
    await upstream(rt, 9011, (s) => {
      s.write(text("B"));
      s.end();
    });
    const yaml = `
servers:
  - listeners:
      - name: proxy
        address: 127.0.0.1:0
        filter_chains:
          - filters:
              - type: tcp_proxy
                config:
                  cluster: b
                  routes:
                    - cluster: a
                      SourceAddrs: [{ address: 127.0.0.0, length: 8 }]
cluster_manager:
  clusters:
    - { name: a, type: SIMPLE, lb_type: LB_RANDOM, hosts: [{ address: "127.0.0.1:9010" }] }
    - { name: b, type: SIMPLE, lb_type: LB_RANDOM, hosts: [{ address: "127.0.0.1:9011" }] }
`;
    const proxy = await startProxy(rt, yaml);
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    await withTimeout(c.endedP, 2000, "reply");
    assert.equal(str(c.bytes()), "A");
    await proxy.stop();
  });

  it("an upstream reset resets the downstream", async () => {
    const rt = new MemoryRuntime();
    await upstream(rt, 9012, (s) => {
      s.ondata = () => s.destroy(new Error("boom"));
    });
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9012"]));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    c.socket.write(text("trigger"));
    const err = await withTimeout(c.closedP, 2000, "downstream reset");
    assert.ok(err, "downstream should see an abnormal close");
    await proxy.stop();
  });

  it("a client that disconnects while connecting aborts the upstream connect", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 9013);
    const proxy = await startProxy(rt, tcpProxyYaml(["127.0.0.1:9013"], { connectTimeout: "1s" }));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    await ticks();
    c.socket.destroy(new Error("client gone"));
    await ticks();
    clock.advance(5000);
    await ticks();
    assert.equal(
      proxy.stat("cluster.backend.upstream_cx_connect_timeout"),
      0,
      "an abandoned connect must not count as a timeout",
    );
    assert.equal(proxy.stat("cluster.backend.upstream_cx_connect_fail"), 0);
    assert.equal(proxy.stat("cluster.backend.upstream_cx_active"), 0);
    assert.equal(proxy.server.activeConnections, 0);
    await proxy.stop();
  });
});
