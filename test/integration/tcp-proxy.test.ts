// tcp_proxy through the real adapter of the runtime running this file, on loopback.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Runtime } from "../../core/net/runtime.ts";
import type { Socket } from "../../core/net/socket.ts";
import { PatternSink, Recorder, sendPattern, sleep, str, text, withTimeout } from "../support/bytes.ts";
import { startProxy, tcpProxyYaml } from "../support/proxy.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

function listen(rt: Runtime, onSocket: (s: Socket) => void, highWaterMark?: number) {
  return rt.listen({ host: "127.0.0.1", port: 0, highWaterMark }, onSocket);
}

function echo(s: Socket): void {
  s.ondata = (b) => {
    if (!s.write(b)) {
      s.pause();
      s.ondrain = () => s.resume();
    }
  };
  s.onend = () => s.end();
}

async function freePort(rt: Runtime): Promise<number> {
  const l = await listen(rt, (s) => s.destroy());
  const port = l.address.port;
  await l.close();
  return port;
}

const MiB = 1024 * 1024;

describe(`tcp_proxy over ${runtimeName()} sockets`, () => {
  it("1 MiB each way byte-exact through an echo upstream", async () => {
    const rt = await nativeRuntime();
    const up = await listen(rt, echo);
    const proxy = await startProxy(rt, tcpProxyYaml([`127.0.0.1:${up.address.port}`]));
    const client = await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") });
    const sink = new PatternSink(11);
    const c = new Recorder(client, { keep: false });
    const ondata = client.ondata!;
    client.ondata = (b) => {
      sink.feed(b);
      ondata(b);
    };
    await withTimeout(sendPattern(client, MiB, 11), 20000, "send 1 MiB");
    await withTimeout(c.closedP, 20000, "echo back and close");
    assert.equal(sink.received, MiB);
    assert.equal(sink.firstMismatch, -1, `corrupt at byte ${sink.firstMismatch}`);
    assert.equal(proxy.stat("listener.proxy.downstream_cx_rx_bytes_total"), MiB);
    assert.equal(proxy.stat("listener.proxy.downstream_cx_tx_bytes_total"), MiB);
    await proxy.stop();
    await up.close();
  });

  it("64 MiB up and 64 MiB down at once, byte-exact", async () => {
    const rt = await nativeRuntime();
    const upSink = new PatternSink(21);
    let upDone!: () => void;
    const upFinished = new Promise<void>((r) => (upDone = r));
    const up = await listen(rt, (s) => {
      s.ondata = (b) => upSink.feed(b);
      s.onend = () => upDone();
      void sendPattern(s, 64 * MiB, 22);
    });
    const proxy = await startProxy(rt, tcpProxyYaml([`127.0.0.1:${up.address.port}`]));
    const client = await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") });
    const downSink = new PatternSink(22);
    const c = new Recorder(client, { keep: false });
    const ondata = client.ondata!;
    client.ondata = (b) => {
      downSink.feed(b);
      ondata(b);
    };
    await withTimeout(
      Promise.all([sendPattern(client, 64 * MiB, 21), upFinished, c.endedP]),
      120000,
      "128 MiB through the proxy",
    );
    assert.equal(upSink.received, 64 * MiB);
    assert.equal(upSink.firstMismatch, -1, `upload corrupt at byte ${upSink.firstMismatch}`);
    assert.equal(downSink.received, 64 * MiB);
    assert.equal(downSink.firstMismatch, -1, `download corrupt at byte ${downSink.firstMismatch}`);
    await withTimeout(c.closedP, 10000, "close after both FINs");
    await proxy.stop();
    await up.close();
  });

  it("half-close: the upstream sees FIN, its late reply still reaches the client", async () => {
    const rt = await nativeRuntime();
    let upRec: Recorder | undefined;
    const up = await listen(rt, (s) => (upRec = new Recorder(s)));
    const proxy = await startProxy(rt, tcpProxyYaml([`127.0.0.1:${up.address.port}`]));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    c.socket.write(text("GET it"));
    c.socket.end();
    await withTimeout(
      (async () => {
        while (!upRec) await sleep(5);
        await upRec.endedP;
      })(),
      10000,
      "upstream sees FIN",
    );
    assert.equal(str(upRec!.bytes()), "GET it");
    await sleep(50);
    assert.equal(c.closed, false, "client closed before the upstream answered");
    upRec!.socket.write(text("late answer"));
    upRec!.socket.end();
    await withTimeout(c.endedP, 10000, "client sees FIN");
    assert.equal(str(c.bytes()), "late answer");
    assert.equal(await withTimeout(c.closedP, 10000, "client close"), undefined);
    await proxy.stop();
    await up.close();
  });

  it("upstream refused: downstream closed, failure counted", async () => {
    const rt = await nativeRuntime();
    const dead = await freePort(rt);
    const proxy = await startProxy(rt, tcpProxyYaml([`127.0.0.1:${dead}`]));
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") }));
    c.socket.write(text("hello?"));
    await withTimeout(Promise.race([c.endedP, c.closedP]), 10000, "downstream closed");
    assert.equal(c.size, 0);
    const cluster = proxy.server.clusterManager.get("backend")!;
    assert.equal(cluster.stats.cxConnectFail.value, 1);
    assert.equal(cluster.hosts[0]!.stats.cxConnectFail.value, 1);
    assert.ok(proxy.logs.some((l) => l.includes(`127.0.0.1:${dead}`)), "the failure is logged with the host");
    c.socket.destroy();
    await proxy.stop();
  });

  it("slow reader: the upstream feels backpressure, the proxy queues at most its buffer limit", async () => {
    const rt = await nativeRuntime();
    const limit = 64 * 1024;
    let upSock: Socket | undefined;
    const up = await listen(rt, (s) => (upSock = s), limit);
    const proxy = await startProxy(rt, tcpProxyYaml([`127.0.0.1:${up.address.port}`], { bufferLimit: limit }));
    const client = await rt.connect({ host: "127.0.0.1", port: proxy.port("proxy") });
    const c = new Recorder(client, { keep: false });
    client.pause();
    await withTimeout(
      (async () => {
        while (!upSock) await sleep(5);
      })(),
      10000,
      "upstream accepted",
    );
    const s = upSock!;
    let onDrain: (() => void) | undefined;
    s.ondrain = () => onDrain?.();
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const cap = 256 * MiB;
    let sent = 0;
    let stuck = false;
    while (sent < cap) {
      sent += chunk.length;
      if (!s.write(chunk)) {
        const drained = await Promise.race([
          new Promise<boolean>((r) => (onDrain = () => r(true))),
          sleep(500).then(() => false),
        ]);
        if (!drained) {
          stuck = true;
          break;
        }
      }
    }
    // Loopback kernel buffers hold some megabytes per hop; a proxy that buffered without bound
    // would take all 256 MiB.
    assert.ok(stuck, `upstream wrote ${sent / MiB} MiB without backpressure`);
    assert.ok(sent < 64 * MiB, `upstream wrote ${sent / MiB} MiB before backpressure`);
    // The proxy holds at most its limit plus the one read already in hand when it paused:
    // node and our deno adapter read 64 KiB at a time, bun up to 512 KiB.
    const maxRead = runtimeName() === "bun" ? 512 * 1024 : 64 * 1024;
    const queued = proxy.server.downstreamBufferedBytes;
    assert.ok(queued <= limit + maxRead, `proxy queued ${queued} bytes for the slow client (limit ${limit})`);
    client.resume();
    await withTimeout(c.waitFor(sent), 60000, "everything arrives once the client reads");
    assert.equal(c.size, sent);
    client.destroy();
    await proxy.stop();
    await up.close();
  });

  it("200 concurrent connections each get their own bytes back", async () => {
    const rt = await nativeRuntime();
    const up = await listen(rt, echo);
    const proxy = await startProxy(rt, tcpProxyYaml([`127.0.0.1:${up.address.port}`]));
    const port = proxy.port("proxy");
    const one = async (i: number) => {
      const sock = await rt.connect({ host: "127.0.0.1", port });
      const sink = new PatternSink(1000 + i);
      const c = new Recorder(sock, { keep: false });
      const ondata = sock.ondata!;
      sock.ondata = (b) => {
        sink.feed(b);
        ondata(b);
      };
      await sendPattern(sock, 16 * 1024, 1000 + i);
      await c.closedP;
      return sink.received === 16 * 1024 && sink.firstMismatch < 0;
    };
    const ok = await withTimeout(Promise.all(Array.from({ length: 200 }, (_, i) => one(i))), 60000, "200 connections");
    assert.equal(ok.filter(Boolean).length, 200);
    assert.equal(proxy.stat("listener.proxy.downstream_cx_total"), 200);
    await sleep(50);
    assert.equal(proxy.server.activeConnections, 0);
    await proxy.stop();
    await up.close();
  });
});
