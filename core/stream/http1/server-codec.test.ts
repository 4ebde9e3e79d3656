import { assert, describe, it } from "../../../test/support/test-api.ts";
import { MemoryRuntime } from "../../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../../test/support/bytes.ts";
import { ByteBuffer } from "../../net/byte-buffer.ts";
import { Connection } from "../../net/connection.ts";
import { FilterStatus } from "../../net/filter.ts";
import type { Socket } from "../../net/socket.ts";
import { DEFAULT_HTTP1_LIMITS, type Http1Limits } from "../../protocol/http1/limits.ts";
import { HeaderMap } from "../header-map.ts";
import type { MessageListener, ResetReason, ServerStream } from "../types.ts";
import { Http1ServerCodec } from "./server-codec.ts";

/** One request as the proxy would see it, plus the stream to answer on. */
interface Seen {
  stream: ServerStream;
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

/**
 * A memory connection served by the codec, fed the way the proxy filter feeds it. `onRequest`
 * decides what to do with each stream (answer now, later, or not at all).
 */
async function serve(onRequest: (seen: Seen) => void = () => {}, limits: Http1Limits = DEFAULT_HTTP1_LIMITS) {
  const rt = new MemoryRuntime();
  const seen: Seen[] = [];
  let conn!: Connection;
  let codec!: Http1ServerCodec;
  await rt.listen({ host: "127.0.0.1", port: 80 }, (s: Socket) => {
    conn = new Connection(s, { runtime: rt });
    const buf = new ByteBuffer();
    codec = new Http1ServerCodec(
      conn,
      {
        newStream(stream: ServerStream): MessageListener {
          const r: Seen = { stream, headers: [], body: "", ended: false, trailers: [], resets: [] };
          seen.push(r);
          stream.setCallbacks({
            onReset: (reason) => r.resets.push(reason),
            onAboveWriteBufferHighWatermark() {},
            onBelowWriteBufferLowWatermark() {},
          });
          return {
            onHeaders(h, end) {
              r.headers = entries(h);
              r.ended = end;
              if (end) onRequest(r);
            },
            onData(chunk, end) {
              r.body += str(chunk);
              r.ended = end;
              if (end) onRequest(r);
            },
            onTrailers(t) {
              r.trailers = entries(t);
              r.ended = true;
              onRequest(r);
            },
          };
        },
      },
      limits,
    );
    conn.addReadFilter({
      onData(data, endStream) {
        if (data.length > 0) buf.append(data);
        codec.dispatch(buf);
        if (endStream) codec.endOfInput();
        return FilterStatus.Stop;
      },
    });
  });
  const client = new Recorder(await rt.connect({ host: "127.0.0.1", port: 80 }));
  const send = (s: string) => client.socket.write(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  const response = async (until: (s: string) => boolean) => {
    await withTimeout(
      (async () => {
        while (!until(str(client.bytes())) && !client.closed) await sleep(0);
      })(),
      2000,
      "response",
    );
    return str(client.bytes());
  };
  return { seen, client, send, response, connection: () => conn, codec: () => codec };
}

function reply(r: Seen, status: number, body: string, fields: [string, string][] = []): void {
  const h = new HeaderMap();
  h.add(":status", String(status));
  for (const [n, v] of fields) h.add(n, v);
  if (body === "") {
    r.stream.sendHeaders(h, true);
  } else {
    r.stream.sendHeaders(h, false);
    r.stream.sendData(text(body), true);
  }
}

describe("Http1ServerCodec", () => {
  it("hands a request over with pseudo-keys, Host as :authority, hop-by-hop fields gone", async () => {
    const t = await serve((r) => reply(r, 200, "hi", [["content-length", "2"]]));
    t.send(
      "GET /a?b=1 HTTP/1.1\r\nHost: svc.example\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\nProxy-Authorization: secret\r\nUser-Agent: t\r\n\r\n",
    );
    const res = await t.response((s) => s.endsWith("hi"));
    assert.deepEqual(t.seen[0]!.headers, [
      ":method: GET",
      ":scheme: http",
      ":authority: svc.example",
      ":path: /a?b=1",
      "user-agent: t",
    ]);
    assert.equal(res, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi");
    assert.equal(t.client.closed, false, "keep-alive");
  });

  it("an absolute-form target's authority overrides Host (RFC 9112 §3.2.2)", async () => {
    const t = await serve((r) => reply(r, 204, ""));
    t.send("GET http://real.example:8080/x HTTP/1.1\r\nHost: other.example\r\n\r\n");
    await t.response((s) => s.includes("\r\n\r\n"));
    assert.deepEqual(t.seen[0]!.headers.slice(0, 4), [
      ":method: GET",
      ":scheme: http",
      ":authority: real.example:8080",
      ":path: /x",
    ]);
  });

  it("streams a body without a length as chunked to an HTTP/1.1 client, trailers included", async () => {
    const t = await serve((r) => {
      const h = new HeaderMap();
      h.add(":status", "200");
      r.stream.sendHeaders(h, false);
      r.stream.sendData(text("part1"), false);
      r.stream.sendData(text("part2"), false);
      const tr = new HeaderMap();
      tr.add("x-checksum", "9");
      r.stream.sendTrailers(tr);
    });
    t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const res = await t.response((s) => s.endsWith("\r\n\r\n") && s.includes("x-checksum"));
    assert.equal(
      res,
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\npart1\r\n5\r\npart2\r\n0\r\nx-checksum: 9\r\n\r\n",
    );
  });

  it("answers pipelined requests one at a time, in order", async () => {
    const pending: Seen[] = [];
    const t = await serve((r) => pending.push(r));
    t.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
    await sleep(0);
    await sleep(0);
    assert.equal(t.seen.length, 1, "the second request waits for the first response");
    reply(pending.shift()!, 200, "one", [["content-length", "3"]]);
    await sleep(0);
    assert.equal(t.seen.length, 2);
    reply(pending.shift()!, 200, "two", [["content-length", "3"]]);
    reply(pending.shift()!, 200, "three", [["content-length", "5"]]);
    const res = await t.response((s) => s.endsWith("three"));
    assert.deepEqual(t.seen.map((s) => s.headers[3]), [":path: /1", ":path: /2", ":path: /3"]);
    assert.equal(res.indexOf("one") < res.indexOf("two") && res.indexOf("two") < res.indexOf("three"), true);
  });

  it("reads Content-Length and chunked request bodies, with trailers", async () => {
    const t = await serve((r) => reply(r, 200, "", []));
    t.send("POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello");
    await sleep(0);
    t.send(" world");
    await t.response((s) => s.includes("\r\n\r\n"));
    assert.equal(t.seen[0]!.body, "hello world");
    assert.equal(t.seen[0]!.ended, true);
    t.send(
      "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
    );
    await t.response(() => t.seen.length === 2 && t.seen[1]!.ended);
    assert.equal(t.seen[1]!.body, "abcde");
    assert.deepEqual(t.seen[1]!.trailers, ["x-t: 1"]);
    assert.ok(!t.seen[1]!.headers.some((h) => h.startsWith("transfer-encoding")), "framing is the codec's");
  });

  it("answers Expect: 100-continue itself and strips it", async () => {
    const t = await serve((r) => reply(r, 201, ""));
    t.send("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    await t.response((s) => s.includes("100 Continue"));
    t.send("ok");
    const res = await t.response((s) => s.includes("201"));
    assert.ok(res.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"), res);
    assert.ok(!t.seen[0]!.headers.some((h) => h.startsWith("expect")));
  });

  it("HTTP/1.0: close-delimited body without a length, or keep-alive when asked", async () => {
    const t = await serve((r) => {
      const h = new HeaderMap();
      h.add(":status", "200");
      r.stream.sendHeaders(h, false);
      r.stream.sendData(text("streamed"), true);
    });
    t.send("GET / HTTP/1.0\r\n\r\n");
    await withTimeout(t.client.endedP, 2000, "FIN after the body");
    assert.equal(str(t.client.bytes()), "HTTP/1.0 200 OK\r\nconnection: close\r\n\r\nstreamed");
    const k = await serve((r) => reply(r, 200, "k", [["content-length", "1"]]));
    k.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert.equal(
      await k.response((s) => s.endsWith("k")),
      "HTTP/1.0 200 OK\r\ncontent-length: 1\r\nconnection: keep-alive\r\n\r\nk",
    );
    assert.equal(k.client.closed, false);
  });

  it("Connection: close ends the connection after the response", async () => {
    const t = await serve((r) => reply(r, 200, "x", [["content-length", "1"]]));
    t.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    await withTimeout(t.client.endedP, 2000, "FIN");
    assert.equal(str(t.client.bytes()), "HTTP/1.1 200 OK\r\ncontent-length: 1\r\nconnection: close\r\n\r\nx");
  });

  it("drain: an idle keep-alive connection closes at once", async () => {
    const t = await serve((r) => reply(r, 200, "x", [["content-length", "1"]]));
    t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await t.response((s) => s.endsWith("\r\n\r\nx"));
    assert.equal(t.client.ended, false, "kept alive");
    t.codec().drain();
    await withTimeout(t.client.endedP, 2000, "FIN");
    assert.equal(str(t.client.bytes()), "HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nx");
  });

  it("drain: the response in progress says connection: close and is the last; pipelined requests are not read", async () => {
    const t = await serve();
    t.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
    await t.response(() => t.seen.length === 1);
    t.codec().drain();
    await sleep(0);
    assert.equal(t.client.ended, false, "the request in progress is answered first");
    reply(t.seen[0]!, 200, "x", [["content-length", "1"]]);
    await withTimeout(t.client.endedP, 2000, "FIN");
    assert.equal(str(t.client.bytes()), "HTTP/1.1 200 OK\r\ncontent-length: 1\r\nconnection: close\r\n\r\nx");
    assert.equal(t.seen.length, 1);
  });

  it("HEAD gets the head without a body", async () => {
    const t = await serve((r) => reply(r, 200, "", [["content-length", "1234"]]));
    t.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
    await t.response(() => t.seen.length === 2);
    assert.ok(str(t.client.bytes()).startsWith("HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\nHTTP/1.1 200 OK"));
  });

  it("refuses malformed and smuggling requests with their status, then closes", async () => {
    const cases: [string, string][] = [
      ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"],
      ["GET / HTTP/1.1\r\n\r\n", "400"], // no Host
      ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"],
      ["GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", "400"],
      ["GET / HTTP/2.0\r\nHost: a\r\n\r\n", "505"],
      ["GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", "400"],
      ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501"],
      ["GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: a\r\n\r\n", "414"],
    ];
    for (const [request, status] of cases) {
      const t = await serve((r) => reply(r, 200, ""), { ...DEFAULT_HTTP1_LIMITS, maxRequestLineBytes: 64 });
      t.send(request);
      await withTimeout(t.client.endedP, 2000, `FIN after ${status}`);
      const res = str(t.client.bytes());
      assert.ok(res.startsWith(`HTTP/1.1 ${status} `), `${JSON.stringify(request)} -> ${res}`);
      assert.match(res, /connection: close/);
      assert.equal(t.seen.length, 0, "no stream for a refused request");
    }
  });

  it("a bad chunk mid-body resets the stream and answers 400", async () => {
    const t = await serve();
    t.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n");
    await withTimeout(t.client.endedP, 2000, "FIN");
    assert.deepEqual(t.seen[0]!.resets, ["protocol_error"]);
    assert.ok(str(t.client.bytes()).startsWith("HTTP/1.1 400 "));
  });

  it("a local reply before the body is read says connection: close and closes", async () => {
    const t = await serve();
    t.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly a part");
    await t.response(() => t.seen.length === 1);
    t.seen[0]!.stream.sendLocalReply(413, "too big");
    await withTimeout(t.client.endedP, 2000, "FIN");
    assert.equal(
      str(t.client.bytes()),
      "HTTP/1.1 413 Content Too Large\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 7\r\nconnection: close\r\n\r\ntoo big",
    );
  });

  it("a client that goes away while its request waits resets the stream", async () => {
    const t = await serve();
    t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await t.response(() => t.seen.length === 1);
    t.client.socket.destroy(new Error("gone"));
    await withTimeout(
      (async () => {
        while (t.seen[0]!.resets.length === 0) await sleep(0);
      })(),
      2000,
      "reset",
    );
    assert.deepEqual(t.seen[0]!.resets, ["connection_termination"]);
  });

  it("a client that half-closes after a whole request still gets its answer", async () => {
    const pending: Seen[] = [];
    const t = await serve((r) => pending.push(r));
    t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    t.client.socket.end();
    await t.response(() => pending.length === 1);
    await sleep(0);
    reply(pending[0]!, 200, "late", [["content-length", "4"]]);
    await withTimeout(t.client.closedP, 2000, "closed after the answer");
    assert.ok(str(t.client.bytes()).endsWith("late"));
    assert.deepEqual(pending[0]!.resets, []);
  });

  it("an accepted upgrade turns the connection into a tunnel both ways", async () => {
    const t = await serve((r) => reply(r, 101, "", [["upgrade", "websocket"]]));
    t.send("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
    await t.response((s) => s.includes("\r\n\r\n"));
    assert.ok(t.seen[0]!.headers.includes("upgrade: websocket"), "the handshake reaches the proxy");
    assert.equal(
      str(t.client.bytes()),
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n",
    );
    t.send("\u0001\u0002hi");
    await t.response(() => t.seen[0]!.body.length === 4);
    assert.equal(t.seen[0]!.body, "\u0001\u0002hi");
    t.seen[0]!.stream.sendData(text("raw back"), false);
    await t.response((s) => s.endsWith("raw back"));
  });

  it("pauses reading when a client pipelines more than a head's worth while it waits", async () => {
    const t = await serve(() => {}, { ...DEFAULT_HTTP1_LIMITS, maxHeaderBytes: 256 });
    t.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n" + "GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(20));
    await t.response(() => t.seen.length === 1);
    await sleep(0);
    assert.equal(t.connection().readDisabled, true);
  });
});
