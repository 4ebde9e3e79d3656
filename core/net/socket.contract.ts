// The Socket contract (see socket.ts), run against every adapter and the memory runtime.
import { describe, it, assert } from "../../test/support/test-api.ts";
import type { Runtime } from "./runtime.ts";
import type { Socket } from "./socket.ts";
import { equalBytes, patternBytes, Recorder, sleep, str, text, withTimeout, writeAll } from "../../test/support/bytes.ts";

interface Pair {
  client: Socket;
  server: Socket;
  close(): Promise<void>;
}

async function pair(rt: Runtime, hwm?: number): Promise<Pair> {
  let accepted!: (s: Socket) => void;
  const got = new Promise<Socket>((r) => (accepted = r));
  const l = await rt.listen({ host: "127.0.0.1", port: 0, highWaterMark: hwm }, accepted);
  const client = await rt.connect({ host: "127.0.0.1", port: l.address.port, highWaterMark: hwm });
  const server = await withTimeout(got, 5000, "accept");
  return { client, server, close: () => l.close() };
}

/** Client closes; the server sees FIN, closes its side, and both report a clean close. */
async function closeFromClient(p: Pair, s: Recorder): Promise<void> {
  p.client.destroy();
  await withTimeout(s.endedP, 5000, "server sees FIN");
  p.server.end();
  assert.equal(await withTimeout(s.closedP, 5000, "server close"), undefined);
  await p.close();
}

export function runSocketContract(name: string, makeRuntime: () => Runtime | Promise<Runtime>): void {
  describe(`Socket contract: ${name}`, () => {
    it("carries bytes both ways and reports addresses", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const c = new Recorder(p.client);
      const s = new Recorder(p.server);
      p.client.write(text("ping"));
      await withTimeout(s.waitFor(4), 5000, "server read");
      assert.equal(str(s.bytes()), "ping");
      p.server.write(text("pong!"));
      await withTimeout(c.waitFor(5), 5000, "client read");
      assert.equal(str(c.bytes()), "pong!");
      assert.equal(p.server.remote.port, p.client.local.port);
      assert.equal(p.client.remote.port, p.server.local.port);
      assert.equal(p.server.local.host, "127.0.0.1");
      await closeFromClient(p, s);
    });

    it("moves 4 MiB byte-exact under backpressure, chunks owned by the receiver", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt, 16 * 1024);
      const s = new Recorder(p.server);
      const data = patternBytes(4 * 1024 * 1024, 7);
      await withTimeout(writeAll(p.client, data), 20000, "write 4 MiB");
      await withTimeout(s.waitFor(data.length), 20000, "read 4 MiB");
      // Chunks were kept, not copied: an adapter that reuses its read buffer fails here.
      assert.ok(equalBytes(s.bytes(), data), "received bytes differ from sent bytes");
      p.client.end();
      await withTimeout(s.endedP, 5000, "server sees end");
      p.server.end();
      await withTimeout(s.closedP, 5000, "server close");
      await p.close();
    });

    it("half-close: the side that got FIN can still send, then both close cleanly once", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const c = new Recorder(p.client);
      const s = new Recorder(p.server);
      p.client.write(text("request"));
      p.client.end();
      await withTimeout(s.endedP, 5000, "server sees FIN");
      assert.equal(str(s.bytes()), "request");
      assert.equal(s.closed, false, "half-closed socket must stay open");
      p.server.write(text("late reply"));
      p.server.end();
      await withTimeout(c.endedP, 5000, "client sees FIN");
      assert.equal(str(c.bytes()), "late reply");
      assert.equal(await withTimeout(c.closedP, 5000, "client close"), undefined);
      assert.equal(await withTimeout(s.closedP, 5000, "server close"), undefined);
      await sleep(20);
      assert.equal(c.closeCount, 1);
      assert.equal(s.closeCount, 1);
      assert.equal(c.eventsAfterClose + s.eventsAfterClose, 0);
      await p.close();
    });

    it("pause stops delivery until resume; write reports backpressure and drain follows", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt, 64 * 1024);
      const s = new Recorder(p.server);
      p.server.pause();
      const chunk = patternBytes(64 * 1024, 3);
      let drainCount = 0;
      p.client.ondrain = () => drainCount++;
      let written = 0;
      let stuck = false;
      // Kernel buffers absorb some megabytes first (and an adapter may drain into them right
      // after returning false); the loop is bounded either way.
      while (written < 64 * 1024 * 1024) {
        written += chunk.length;
        if (!p.client.write(chunk)) {
          const before = drainCount;
          await sleep(50);
          if (drainCount === before) {
            stuck = true;
            break;
          }
        }
      }
      assert.ok(stuck, "write never stayed backed up behind a paused reader");
      assert.ok(p.client.bufferedAmount > 0, "nothing queued although write is backed up");
      const seenWhilePaused = s.size;
      await sleep(50);
      assert.ok(s.size - seenWhilePaused <= 64 * 1024, "data kept flowing while paused");
      const drained = new Promise<void>((r) => (p.client.ondrain = () => r()));
      p.server.resume();
      await withTimeout(drained, 10000, "drain after resume");
      await withTimeout(s.waitFor(written), 10000, "all bytes after resume");
      assert.equal(s.size, written);
      await closeFromClient(p, s);
    });

    it("destroy() closes now; the peer sees FIN; onclose fires once", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const c = new Recorder(p.client);
      const s = new Recorder(p.server);
      p.server.destroy();
      await withTimeout(s.closedP, 5000, "server close after destroy");
      await withTimeout(c.endedP, 5000, "client sees FIN after peer destroy");
      p.server.destroy();
      assert.equal(p.server.write(text("x")), false, "write after close must report false");
      p.client.end();
      assert.equal(await withTimeout(c.closedP, 5000, "client close"), undefined);
      await sleep(20);
      assert.equal(c.closeCount, 1);
      assert.equal(s.closeCount, 1);
      await p.close();
    });

    it("destroy(err) is abortive: the peer closes with an error", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const c = new Recorder(p.client);
      const s = new Recorder(p.server);
      p.client.write(text("x"));
      await withTimeout(s.waitFor(1), 5000, "first byte");
      p.server.destroy(new Error("bad frame"));
      assert.equal((await withTimeout(s.closedP, 5000, "server close"))?.message, "bad frame");
      // Deno cannot send RST (no SO_LINGER): there the peer sees FIN instead of an error.
      await withTimeout(Promise.race([c.closedP, c.endedP]), 5000, "client sees the close");
      p.client.end();
      await withTimeout(c.closedP, 5000, "client close");
      assert.equal(c.closeCount, 1);
      await p.close();
    });

    it("connect to a closed port rejects with ECONNREFUSED", async () => {
      const rt = await makeRuntime();
      const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
      const port = l.address.port;
      await l.close();
      await assert.rejects(rt.connect({ host: "127.0.0.1", port }), (err: Error & { code?: string; name?: string }) => {
        // Deno names the class ConnectionRefused (or ConnectionReset while the port winds down).
        return err.code === "ECONNREFUSED" || /^Connection(Refused|Reset)$/.test(err.name) || /refused/i.test(err.message);
      });
    });

    it("an aborted connect rejects", async () => {
      const rt = await makeRuntime();
      const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
      const ac = new AbortController();
      ac.abort(new Error("gave up"));
      await assert.rejects(rt.connect({ host: "127.0.0.1", port: l.address.port, signal: ac.signal }), /gave up/);
      await l.close();
    });

    it("listen on a busy port rejects", async () => {
      const rt = await makeRuntime();
      const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
      await assert.rejects(rt.listen({ host: "127.0.0.1", port: l.address.port }, (s) => s.destroy()));
      await l.close();
    });
  });
}
