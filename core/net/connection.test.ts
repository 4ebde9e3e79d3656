import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../test/support/bytes.ts";
import type { CloseEvent } from "./connection-events.ts";
import { Connection } from "./connection.ts";
import { FilterStatus, type ReadFilter } from "./filter.ts";
import { SocketError } from "./socket-error.ts";
import type { Socket } from "./socket.ts";

async function pair(rt: MemoryRuntime): Promise<{ client: Socket; server: Socket }> {
  let server!: Socket;
  await rt.listen({ host: "127.0.0.1", port: 7000 }, (s) => (server = s));
  const client = await rt.connect({ host: "127.0.0.1", port: 7000 });
  await sleep(0);
  return { client, server };
}

describe("Connection", () => {
  it("runs read filters in order; Stop keeps later filters from the bytes", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    const seen: string[] = [];
    conn.addReadFilter({
      onData: (d) => (seen.push("a:" + str(d)), str(d) === "stop" ? FilterStatus.Stop : FilterStatus.Continue),
    });
    conn.addReadFilter({ onData: (d) => (seen.push("b:" + str(d)), FilterStatus.Stop) });
    conn.initializeReadFilters();
    client.write(text("go"));
    await sleep(0);
    client.write(text("stop"));
    await sleep(0);
    assert.deepEqual(seen, ["a:go", "b:go", "a:stop"]);
    assert.equal(conn.bytesRead, 6);
  });

  it("a throwing filter closes only its own connection, with an error event", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    let event: CloseEvent | undefined;
    conn.addConnectionCallbacks({ onClose: (e) => (event = e) });
    conn.addReadFilter({
      onData: () => {
        throw new Error("filter bug");
      },
    });
    conn.initializeReadFilters();
    const c = new Recorder(client);
    client.write(text("x"));
    await withTimeout(c.closedP, 1000, "peer sees the close");
    assert.equal(event?.reason, "error");
    assert.equal((event?.error as { code?: string }).code, "ISTHMUS_FILTER_FAILED");
    assert.match(event!.error!.message, /filter bug/);
  });

  it("readDisable is counted: reading resumes only after every disable is undone", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    let got = "";
    const f: ReadFilter = { onData: (d) => ((got += str(d)), FilterStatus.Stop) };
    conn.addReadFilter(f);
    conn.initializeReadFilters();
    conn.readDisable(true);
    conn.readDisable(true);
    client.write(text("held"));
    await sleep(0);
    conn.readDisable(false);
    await sleep(0);
    assert.equal(got, "", "one enable must not undo two disables");
    conn.readDisable(false);
    await sleep(0);
    assert.equal(got, "held");
  });

  it("flush close sends what is queued, then FIN, and reports the local close", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    conn.initializeReadFilters();
    const events: string[] = [];
    conn.addConnectionCallbacks({ onClose: (e) => events.push(e.reason) });
    const c = new Recorder(client);
    conn.write(text("bye"));
    conn.close("flush");
    assert.equal(conn.write(text("more")), false, "writes after close are refused");
    await withTimeout(c.endedP, 1000, "FIN");
    assert.equal(str(c.bytes()), "bye");
    client.end();
    await withTimeout(c.closedP, 1000, "closed");
    await sleep(0);
    assert.deepEqual(events, ["local_close"]);
  });
});

/** An upstream listener on the memory network that hands each accepted socket to the test. */
async function upstreamAt(rt: MemoryRuntime, port: number): Promise<{ next(): Promise<Recorder> }> {
  const accepted: Recorder[] = [];
  await rt.listen({ host: "127.0.0.1", port }, (s) => accepted.push(new Recorder(s)));
  return {
    async next() {
      for (let i = 0; i < 100 && accepted.length === 0; i++) await sleep(0);
      const r = accepted.shift();
      if (!r) throw new Error("nothing accepted");
      return r;
    },
  };
}

describe("Connection.connect (outbound)", () => {
  it("is connecting at once; bytes and FIN written meanwhile go out in order once connected", async () => {
    const rt = new MemoryRuntime();
    const up = await upstreamAt(rt, 7100);
    const conn = Connection.connect({
      runtime: rt,
      address: { host: "127.0.0.1", port: 7100 },
      connectTimeoutMs: 1000,
    });
    assert.equal(conn.state, "connecting");
    assert.deepEqual(conn.remote, { host: "127.0.0.1", port: 7100 });
    const events: string[] = [];
    conn.addConnectionCallbacks({
      onConnected: () => events.push(`connected:${conn.state}`),
      onClose: (e) => events.push(e.reason),
    });
    assert.equal(conn.write(text("one ")), true);
    assert.equal(conn.writev([text("two "), text("three")]), true);
    conn.end();
    assert.equal(conn.bufferedAmount, 13);
    const peer = await up.next();
    await withTimeout(peer.endedP, 1000, "FIN after the queued bytes");
    assert.equal(str(peer.bytes()), "one two three");
    assert.deepEqual(events, ["connected:open"]);
    assert.equal(conn.bytesWritten, 13);
    assert.notEqual(conn.local.port, 0, "the local address is known once connected");
  });

  it("a refused connect closes with connect_failed and a retryable SocketError", async () => {
    const rt = new MemoryRuntime();
    const conn = Connection.connect({
      runtime: rt,
      address: { host: "127.0.0.1", port: 7101 },
      connectTimeoutMs: 1000,
    });
    const event = await new Promise<CloseEvent>((r) => conn.addConnectionCallbacks({ onClose: r }));
    assert.equal(event.reason, "connect_failed");
    assert.ok(event.error instanceof SocketError);
    assert.equal(event.error.kind, "refused");
    assert.equal(event.error.errno, "ECONNREFUSED");
    assert.equal(event.error.retryable, true);
    assert.equal(conn.closed, true);
  });

  it("times out with connect_timeout after connectTimeoutMs, not before", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 7102);
    const conn = Connection.connect({ runtime: rt, address: { host: "127.0.0.1", port: 7102 }, connectTimeoutMs: 300 });
    const events: CloseEvent[] = [];
    conn.addConnectionCallbacks({ onClose: (e) => events.push(e) });
    clock.advance(299);
    await sleep(0);
    assert.equal(events.length, 0);
    clock.advance(1);
    await sleep(0);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.reason, "connect_timeout");
    assert.equal((events[0]!.error as SocketError).kind, "timeout");
    assert.match(events[0]!.error!.message, /timed out after 300ms/);
  });

  it("close while connecting aborts the connect: local_close once, no later timeout", async () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    rt.blackhole("127.0.0.1", 7103);
    const conn = Connection.connect({ runtime: rt, address: { host: "127.0.0.1", port: 7103 }, connectTimeoutMs: 300 });
    const events: string[] = [];
    conn.addConnectionCallbacks({ onClose: (e) => events.push(e.reason) });
    conn.close("flush");
    clock.advance(1000);
    await sleep(0);
    assert.deepEqual(events, ["local_close"]);
    assert.equal(conn.write(text("late")), false);
  });

  it("a flush close while connecting still delivers what was written, then FIN", async () => {
    const rt = new MemoryRuntime();
    const up = await upstreamAt(rt, 7104);
    const conn = Connection.connect({
      runtime: rt,
      address: { host: "127.0.0.1", port: 7104 },
      connectTimeoutMs: 1000,
    });
    const events: string[] = [];
    conn.addConnectionCallbacks({ onConnected: () => events.push("connected"), onClose: (e) => events.push(e.reason) });
    conn.write(text("last words"));
    conn.close("flush");
    const peer = await up.next();
    await withTimeout(peer.endedP, 1000, "FIN");
    assert.equal(str(peer.bytes()), "last words");
    peer.socket.end();
    await withTimeout(peer.closedP, 1000, "closed");
    await sleep(0);
    assert.deepEqual(events, ["local_close"], "a connection closed while connecting never reports connected");
  });

  it("read disabling while connecting holds the peer's bytes until enabled", async () => {
    const rt = new MemoryRuntime();
    const up = await upstreamAt(rt, 7105);
    const conn = Connection.connect({
      runtime: rt,
      address: { host: "127.0.0.1", port: 7105 },
      connectTimeoutMs: 1000,
    });
    let got = "";
    conn.addReadFilter({ onData: (d) => ((got += str(d)), FilterStatus.Stop) });
    conn.readDisable(true);
    const peer = await up.next();
    peer.socket.write(text("hello"));
    await sleep(0);
    await sleep(0);
    assert.equal(got, "");
    conn.readDisable(false);
    await withTimeout(
      (async () => {
        while (got === "") await sleep(0);
      })(),
      1000,
      "data after enable",
    );
    assert.equal(got, "hello");
  });

  it("past the buffer limit while connecting: write says false and the owner hears above, then below once sent", async () => {
    const rt = new MemoryRuntime();
    await upstreamAt(rt, 7106);
    const conn = Connection.connect({
      runtime: rt,
      address: { host: "127.0.0.1", port: 7106 },
      connectTimeoutMs: 1000,
      bufferLimitBytes: 8,
    });
    const events: string[] = [];
    conn.addConnectionCallbacks({
      onAboveWriteBufferHighWatermark: () => events.push("above"),
      onBelowWriteBufferLowWatermark: () => events.push("below"),
      onConnected: () => events.push("connected"),
    });
    assert.equal(conn.write(text("12345678")), true, "exactly the limit is not above it");
    assert.equal(conn.write(text("9")), false);
    assert.equal(conn.aboveWriteBufferHighWatermark, true);
    await withTimeout(
      (async () => {
        while (!events.includes("below")) await sleep(0);
      })(),
      1000,
      "below",
    );
    assert.deepEqual(events, ["above", "connected", "below"]);
  });
});

describe("Connection owner change", () => {
  it("removed read filters and callbacks hear nothing more; new owners take over", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    const seen: string[] = [];
    const first: ReadFilter = { onData: (d) => (seen.push("first:" + str(d)), FilterStatus.Stop) };
    const firstEvents = { onClose: () => seen.push("first:close") };
    conn.addReadFilter(first);
    conn.addConnectionCallbacks(firstEvents);
    client.write(text("a"));
    await sleep(0);
    conn.removeReadFilter(first);
    conn.removeConnectionCallbacks(firstEvents);
    assert.deepEqual(
      conn.attachments,
      { readFilters: 0, writeFilters: 0, callbacks: 0 },
      "nothing of the first owner stays",
    );
    const second: ReadFilter = { onData: (d) => (seen.push("second:" + str(d)), FilterStatus.Stop) };
    conn.addReadFilter(second);
    conn.addConnectionCallbacks({ onClose: () => seen.push("second:close") });
    client.write(text("b"));
    await sleep(0);
    client.end();
    await sleep(0);
    conn.close("now");
    assert.deepEqual(seen, ["first:a", "second:b", "second:", "second:close"]);
  });

  it("a filter removed by an earlier one during a dispatch does not see that chunk", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    const seen: string[] = [];
    const later: ReadFilter = { onData: (d) => (seen.push("later:" + str(d)), FilterStatus.Continue) };
    conn.addReadFilter({
      onData: (d) => {
        seen.push("first:" + str(d));
        conn.removeReadFilter(later);
        return FilterStatus.Continue;
      },
    });
    conn.addReadFilter(later);
    client.write(text("x"));
    await sleep(0);
    assert.deepEqual(seen, ["first:x"]);
  });

  it("a callback removed during a close dispatch is not called", async () => {
    const rt = new MemoryRuntime();
    const { server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    const seen: string[] = [];
    const second = { onClose: () => seen.push("second") };
    conn.addConnectionCallbacks({ onClose: () => (seen.push("first"), conn.removeConnectionCallbacks(second)) });
    conn.addConnectionCallbacks(second);
    conn.close("now");
    assert.deepEqual(seen, ["first"]);
  });

  it("writev sends the buffers in order as one write, through the write filters", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    const c = new Recorder(client);
    conn.addWriteFilter({ onWrite: (d) => (str(d) === "secret" ? FilterStatus.Stop : FilterStatus.Continue) });
    assert.equal(conn.writev([text("head|"), text("secret"), text("body")]), true);
    await withTimeout(c.waitFor(9), 1000, "bytes");
    assert.equal(str(c.bytes()), "head|body");
    assert.equal(conn.bytesWritten, 9);
  });
});

describe("Connection write batching", () => {
  it("writes made during a read dispatch leave together, in order, when it ends; writes outside one go at once", async () => {
    const rt = new MemoryRuntime();
    const a = await pair(rt);
    const inbound = new Connection(a.server, { runtime: rt });
    await rt.listen({ host: "127.0.0.1", port: 7200 }, () => {});
    const outSocket = await rt.connect({ host: "127.0.0.1", port: 7200 });
    const calls: string[] = [];
    const write = outSocket.write.bind(outSocket);
    const writev = outSocket.writev.bind(outSocket);
    outSocket.write = (b) => (calls.push(`write ${str(b)}`), write(b));
    outSocket.writev = (cs) => (calls.push(`writev ${cs.map((c) => str(c)).join("|")}`), writev(cs));
    const outbound = new Connection(outSocket, { runtime: rt });
    inbound.addReadFilter({
      onData: (d) => {
        outbound.write(text("head:"));
        outbound.write(d);
        assert.equal(calls.length, 0, "nothing is sent while the dispatch runs");
        assert.equal(outbound.bufferedAmount, 5 + d.length);
        return FilterStatus.Stop;
      },
    });
    a.client.write(text("body"));
    await sleep(0);
    await sleep(0);
    assert.deepEqual(calls, ["writev head:|body"]);
    outbound.write(text("later"));
    assert.deepEqual(calls, ["writev head:|body", "write later"]);
  });

  it("a flush-close during a dispatch still sends what the dispatch wrote before it", async () => {
    const rt = new MemoryRuntime();
    const { client, server } = await pair(rt);
    const conn = new Connection(server, { runtime: rt });
    conn.addReadFilter({
      onData: () => {
        conn.write(text("bye"));
        conn.close("flush");
        return FilterStatus.Stop;
      },
    });
    const c = new Recorder(client);
    client.write(text("x"));
    await withTimeout(c.endedP, 1000, "FIN");
    assert.equal(str(c.bytes()), "bye");
  });
});
