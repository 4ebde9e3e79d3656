import { assert, describe, it } from "../../../test/support/test-api.ts";
import { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../../test/support/bytes.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { Connection } from "../../net/connection.ts";
import { FilterStatus } from "../../net/filter.ts";
import { DEFAULT_HTTP1_LIMITS } from "../../protocol/http1/limits.ts";
import { HeaderMap } from "../header-map.ts";
import type { ClientStream, MessageListener, ResetReason } from "../types.ts";
import { Http1ClientCodec } from "./client-codec.ts";

interface Got {
  headers: string[];
  body: string;
  ended: boolean;
  trailers: string[];
  resets: ResetReason[];
}

function entries(h: HeaderMap): string[] {
  const out: string[] = [];
  h.forEach((name, value) => out.push(`${name}: ${value}`));
  return out;
}

/** A codec on a memory connection to a raw upstream socket the test plays the server on. */
async function upstream() {
  const rt = new MemoryRuntime();
  const servers: Recorder[] = [];
  await rt.listen({ host: "127.0.0.1", port: 8080 }, (s) => servers.push(new Recorder(s)));
  const conn = Connection.connect({ runtime: rt, address: { host: "127.0.0.1", port: 8080 }, connectTimeoutMs: 1000 });
  const codec = new Http1ClientCodec(conn, DEFAULT_HTTP1_LIMITS);
  const buf = new ByteBuffer();
  conn.addReadFilter({
    onData(data, endStream) {
      if (data.length > 0) buf.append(data);
      codec.dispatch(buf);
      if (endStream) codec.endOfInput();
      return FilterStatus.Stop;
    },
  });
  const done: ClientStream[] = [];
  codec.onStreamDone = (s) => done.push(s);
  const start = (): { stream: ClientStream; got: Got } => {
    const got: Got = { headers: [], body: "", ended: false, trailers: [], resets: [] };
    const listener: MessageListener = {
      onHeaders: (h, end) => ((got.headers = entries(h)), (got.ended = end)),
      onData: (c, end) => ((got.body += str(c)), (got.ended = end)),
      onTrailers: (t) => ((got.trailers = entries(t)), (got.ended = true)),
    };
    const stream = codec.newStream(listener);
    stream.setCallbacks({
      onReset: (r) => got.resets.push(r),
      onAboveWriteBufferHighWatermark() {},
      onBelowWriteBufferLowWatermark() {},
    });
    return { stream, got };
  };
  const server = async () => {
    await withTimeout(
      (async () => {
        while (servers.length === 0) await sleep(0);
      })(),
      2000,
      "accept",
    );
    return servers[0]!;
  };
  const until = (cond: () => boolean, what = "condition") =>
    withTimeout(
      (async () => {
        while (!cond()) await sleep(0);
      })(),
      2000,
      what,
    );
  return { codec, conn, start, server, done, until };
}

function request(method: string, path: string, fields: [string, string][] = []): HeaderMap {
  const h = new HeaderMap();
  h.add(":method", method);
  h.add(":scheme", "http");
  h.add(":authority", "svc.example");
  h.add(":path", path);
  for (const [n, v] of fields) h.add(n, v);
  return h;
}

describe("Http1ClientCodec", () => {
  it("writes Host first from :authority, the fields as spelt, and reads the response", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/x?y=1", [["User-Agent", "t"], ["Connection", "stale"]]), true);
    const s = await u.server();
    await s.waitFor(10);
    await u.until(() => str(s.bytes()).endsWith("\r\n\r\n"));
    assert.equal(str(s.bytes()), "GET /x?y=1 HTTP/1.1\r\nhost: svc.example\r\nUser-Agent: t\r\n\r\n");
    s.socket.write(text("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: keep-alive\r\nX-A: 1\r\n\r\nhello"));
    await u.until(() => got.ended, "response");
    assert.deepEqual(got.headers, [":status: 200", "content-length: 5", "x-a: 1"]);
    assert.equal(got.body, "hello");
    assert.equal(u.done.length, 1);
    assert.equal(u.codec.reusable, true);
    assert.equal(u.codec.activeStreams, 0);
  });

  it("sends a body of unknown length chunked, with trailers; a known length as is", async () => {
    const u = await upstream();
    const { stream } = u.start();
    stream.sendHeaders(request("POST", "/up"), false);
    stream.sendData(text("abc"), false);
    const t = new HeaderMap();
    t.add("x-sum", "3");
    stream.sendTrailers(t);
    const s = await u.server();
    await u.until(() => str(s.bytes()).endsWith("x-sum: 3\r\n\r\n"));
    assert.equal(
      str(s.bytes()),
      "POST /up HTTP/1.1\r\nhost: svc.example\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-sum: 3\r\n\r\n",
    );
    s.socket.write(text("HTTP/1.1 204 No Content\r\n\r\n"));
    await u.until(() => u.done.length === 1);
    const second = u.start();
    second.stream.sendHeaders(request("PUT", "/k", [["content-length", "2"]]), false);
    second.stream.sendData(text("ok"), true);
    await u.until(() => str(s.bytes()).endsWith("ok"));
    assert.ok(str(s.bytes()).endsWith("PUT /k HTTP/1.1\r\nhost: svc.example\r\ncontent-length: 2\r\n\r\nok"));
  });

  it("an empty POST says content-length: 0", async () => {
    const u = await upstream();
    u.start().stream.sendHeaders(request("POST", "/"), true);
    const s = await u.server();
    await u.until(() => str(s.bytes()).endsWith("\r\n\r\n"));
    assert.match(str(s.bytes()), /content-length: 0\r\n/);
  });

  it("reads chunked responses with trailers, and skips 1xx", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/"), true);
    const s = await u.server();
    s.socket.write(
      text(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n",
      ),
    );
    await u.until(() => got.ended, "response");
    assert.equal(got.body, "wikipedia");
    assert.deepEqual(got.trailers, ["x-t: 1"]);
    assert.deepEqual(got.headers, [":status: 200"]);
    assert.equal(u.codec.reusable, true);
  });

  it("a close-delimited response ends at the upstream's FIN and spends the connection", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/"), true);
    const s = await u.server();
    s.socket.write(text("HTTP/1.1 200 OK\r\n\r\nall of it"));
    s.socket.end();
    await u.until(() => got.ended, "end at FIN");
    assert.equal(got.body, "all of it");
    assert.equal(u.codec.reusable, false);
    assert.deepEqual(got.resets, []);
  });

  it("Connection: close or HTTP/1.0 without keep-alive spends the connection after the response", async () => {
    for (
      const head of [
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
      ]
    ) {
      const u = await upstream();
      const { stream, got } = u.start();
      stream.sendHeaders(request("GET", "/"), true);
      (await u.server()).socket.write(text(head));
      await u.until(() => got.ended);
      assert.equal(u.codec.reusable, false, head);
      assert.equal(u.conn.closing, true);
    }
  });

  it("a malformed response resets the stream with protocol_error and closes the connection", async () => {
    for (
      const head of [
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      ]
    ) {
      const u = await upstream();
      const { stream, got } = u.start();
      stream.sendHeaders(request("GET", "/"), true);
      (await u.server()).socket.write(text(head));
      await u.until(() => got.resets.length > 0, head);
      assert.deepEqual(got.resets, ["protocol_error"]);
      assert.equal(u.conn.closing, true);
      assert.equal(u.done.length, 1);
    }
  });

  it("an upstream that closes mid-response resets the stream", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/"), true);
    const s = await u.server();
    s.socket.write(text("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial"));
    await u.until(() => got.body === "partial");
    s.socket.end();
    await u.until(() => got.resets.length > 0);
    assert.deepEqual(got.resets, ["remote_reset"]);
  });

  it("bytes with no request in flight close the connection", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/"), true);
    const s = await u.server();
    s.socket.write(text("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"));
    await u.until(() => u.conn.closing, "closed");
    assert.equal(got.ended, true);
    assert.equal(u.codec.reusable, false);
  });

  it("HEAD and 304 responses have no body whatever their length says", async () => {
    const u = await upstream();
    const first = u.start();
    first.stream.sendHeaders(request("HEAD", "/"), true);
    const s = await u.server();
    s.socket.write(text("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"));
    await u.until(() => first.got.ended);
    const second = u.start();
    second.stream.sendHeaders(request("GET", "/"), true);
    s.socket.write(text("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"));
    await u.until(() => second.got.ended);
    assert.equal(u.codec.reusable, true);
  });

  it("a reset by the proxy closes the connection without telling the proxy back", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/"), true);
    await u.server();
    stream.reset("local_reset");
    assert.equal(u.conn.closing, true);
    assert.deepEqual(got.resets, []);
    assert.equal(u.done.length, 1);
  });

  it("a 101 to an upgrade request turns the connection into a tunnel", async () => {
    const u = await upstream();
    const { stream, got } = u.start();
    stream.sendHeaders(request("GET", "/ws", [["upgrade", "websocket"], ["sec-websocket-key", "k"]]), true);
    const s = await u.server();
    await u.until(() => str(s.bytes()).endsWith("\r\n\r\n"));
    assert.equal(
      str(s.bytes()),
      "GET /ws HTTP/1.1\r\nhost: svc.example\r\nupgrade: websocket\r\nsec-websocket-key: k\r\nconnection: upgrade\r\n\r\n",
    );
    s.socket.write(
      text("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nframe-from-server"),
    );
    await u.until(() => got.body === "frame-from-server");
    assert.deepEqual(got.headers, [":status: 101", "upgrade: websocket"]);
    stream.sendData(text("frame-from-client"), false);
    await u.until(() => str(s.bytes()).endsWith("frame-from-client"));
  });
});
