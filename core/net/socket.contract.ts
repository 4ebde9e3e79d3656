// The Socket contract (see socket.ts), run against every adapter and the memory runtime.
import { assert, describe, it } from "../../test/support/test-api.ts";
import type { Runtime } from "./runtime.ts";
import type { Socket } from "./socket.ts";
import { SocketError } from "./socket-error.ts";
import {
  concat,
  equalBytes,
  patternBytes,
  Recorder,
  sleep,
  str,
  text,
  withTimeout,
  writeAll,
} from "../../test/support/bytes.ts";

/** What an adapter cannot do, each with the reason, so the tests name their exceptions. */
export interface ContractExceptions {
  /** The runtime cannot send RST: `destroy(err)` reaches the peer as FIN (and a reset on its next write). */
  readonly noRst?: string;
}

/** What only a deterministic runtime (memory) can show. */
export interface ContractExtras {
  /** Drain is seen to fire while bytes are still queued (at the low-water mark, not at empty). */
  readonly drainBeforeEmpty?: boolean;
}

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

/**
 * Pauses the server and writes `chunk`s to the client until the kernel buffers are full and
 * `write` reports backpressure with no drain following within 50 ms. Checks on every write that
 * `false` means exactly "queue above the mark". Returns the bytes written, in order.
 */
async function fillUntilBackedUp(
  p: Pair,
  hwm: number,
  chunk: Uint8Array,
  drains: { count: number },
): Promise<Uint8Array[]> {
  p.server.pause();
  const sent: Uint8Array[] = [];
  let total = 0;
  // Kernel buffers absorb some megabytes first; bounded either way.
  while (total < 64 * 1024 * 1024) {
    const piece = chunk.slice();
    sent.push(piece);
    total += piece.length;
    const ok = p.client.write(piece);
    assert.equal(
      ok,
      p.client.bufferedAmount <= hwm,
      `write returned ${ok} with ${p.client.bufferedAmount} bytes queued, mark ${hwm}`,
    );
    if (!ok) {
      const before = drains.count;
      for (let waited = 0; waited < 50 && drains.count === before; waited += 5) await sleep(5);
      if (drains.count === before) return sent;
    }
  }
  assert.fail("write never stayed backed up behind a paused reader");
}

/** Client closes; the server sees FIN, closes its side, and both report a clean close. */
async function closeFromClient(p: Pair, s: Recorder): Promise<void> {
  p.client.destroy();
  await withTimeout(s.endedP, 5000, "server sees FIN");
  p.server.end();
  assert.equal(await withTimeout(s.closedP, 5000, "server close"), undefined);
  await p.close();
}

export function runSocketContract(
  name: string,
  makeRuntime: () => Runtime | Promise<Runtime>,
  exceptions: ContractExceptions = {},
  extras: ContractExtras = {},
): void {
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

    it("pause stops delivery until resume; write is false only above the mark; one drain at half the mark", async () => {
      const hwm = 64 * 1024;
      const rt = await makeRuntime();
      const p = await pair(rt, hwm);
      const s = new Recorder(p.server);
      const drains = { count: 0, queuedAt: [] as number[] };
      p.client.ondrain = () => {
        drains.count++;
        drains.queuedAt.push(p.client.bufferedAmount);
      };
      const sent = await fillUntilBackedUp(p, hwm, patternBytes(hwm / 4, 3), drains);
      const written = sent.reduce((n, c) => n + c.length, 0);
      // Past the false the OS may have taken some, but no drain came: something is still queued.
      assert.ok(p.client.bufferedAmount > 0, "nothing queued although write is backed up");
      const seenWhilePaused = s.size;
      await sleep(50);
      assert.ok(s.size - seenWhilePaused <= 64 * 1024, "data kept flowing while paused");
      const drainsBefore = drains.count;
      p.server.resume();
      await withTimeout(s.waitFor(written), 10000, "all bytes after resume");
      await sleep(20);
      assert.equal(drains.count - drainsBefore, 1, "exactly one drain after the queue went down");
      const at = drains.queuedAt[drains.queuedAt.length - 1];
      assert.ok(at <= hwm / 2, `drain fired with ${at} bytes still queued, above half the mark`);
      if (extras.drainBeforeEmpty) assert.ok(at > 0, "drain waited for an empty queue instead of the low-water mark");
      assert.ok(equalBytes(s.bytes(), concat(sent)), "received bytes differ from sent bytes");
      await closeFromClient(p, s);
    });

    it("one write (or writev) of exactly the mark into an empty queue is not backpressure", async () => {
      const hwm = 16 * 1024;
      const rt = await makeRuntime();
      const p = await pair(rt, hwm);
      const s = new Recorder(p.server);
      const one = patternBytes(hwm, 5);
      assert.equal(p.client.write(one), true, "a write of exactly the high-water mark reported false");
      await withTimeout(s.waitFor(hwm), 5000, "first write");
      await sleep(20);
      const two = patternBytes(hwm, 6);
      assert.equal(
        p.client.writev([two.subarray(0, 100), two.subarray(100)]),
        true,
        "a writev of exactly the mark reported false",
      );
      await withTimeout(s.waitFor(2 * hwm), 5000, "writev");
      assert.ok(equalBytes(s.bytes(), concat([one, two])));
      await closeFromClient(p, s);
    });

    it("writev sends its chunks in order, with writes around it, and leaves them untouched", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const s = new Recorder(p.server);
      const expected: Uint8Array[] = [];
      const given: Array<{ chunk: Uint8Array; copy: Uint8Array }> = [];
      let seed = 11;
      const piece = (n: number) => {
        const b = patternBytes(n, seed++);
        given.push({ chunk: b, copy: b.slice() });
        expected.push(b);
        return b;
      };
      // Heads and bodies of assorted sizes, as an encoder writes them, mixed with plain writes.
      const drained = () => new Promise<void>((r) => (p.client.ondrain = () => r()));
      for (let i = 0; i < 50; i++) {
        if (!p.client.writev([piece(10 + i), piece(i * 997), piece(0), piece(3)])) {
          await withTimeout(drained(), 5000, "drain");
        }
        if (i % 7 === 0 && !p.client.write(piece(100))) await withTimeout(drained(), 5000, "drain");
        if (i % 10 === 0) await sleep(0);
      }
      const total = expected.reduce((n, c) => n + c.length, 0);
      await withTimeout(s.waitFor(total), 10000, "all writev bytes");
      assert.equal(s.size, total);
      assert.ok(equalBytes(s.bytes(), concat(expected)), "writev bytes arrived out of order or altered");
      for (const g of given) assert.ok(equalBytes(g.chunk, g.copy), "the adapter mutated a chunk handed to writev");
      assert.equal(p.client.writev([]), true);
      await closeFromClient(p, s);
    });

    it("writev reports backpressure above the mark like write, and one drain follows", async () => {
      const hwm = 64 * 1024;
      const rt = await makeRuntime();
      const p = await pair(rt, hwm);
      const s = new Recorder(p.server);
      const drains = { count: 0 };
      p.client.ondrain = () => drains.count++;
      const sent = await fillUntilBackedUp(p, hwm, patternBytes(hwm / 4, 8), drains);
      const before = p.client.bufferedAmount;
      const head = patternBytes(300, 9);
      const body = patternBytes(hwm, 10);
      assert.equal(p.client.writev([head, body]), false, "writev above the mark must report false");
      assert.equal(
        p.client.bufferedAmount,
        before + head.length + body.length,
        "writev did not queue all of its chunks",
      );
      const total = sent.reduce((n, c) => n + c.length, 0) + head.length + body.length;
      const drainsBefore = drains.count;
      p.server.resume();
      await withTimeout(s.waitFor(total), 10000, "all bytes after resume");
      await sleep(20);
      assert.equal(drains.count - drainsBefore, 1, "exactly one drain after the queue went down");
      assert.ok(equalBytes(s.bytes(), concat([...sent, head, body])));
      await closeFromClient(p, s);
    });

    it("small reads are handed over, not reused: every chunk keeps its bytes", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const s = new Recorder(p.server);
      const sent: Uint8Array[] = [];
      // One small message at a time, each read on its own: an adapter that reads small
      // messages into one reused buffer overwrites the chunks it delivered before.
      for (let i = 0; i < 100; i++) {
        const m = patternBytes(50 + (i % 30), 100 + i);
        sent.push(m);
        p.client.write(m);
        await withTimeout(s.waitFor(sent.reduce((n, c) => n + c.length, 0)), 5000, `message ${i}`);
      }
      assert.ok(equalBytes(s.bytes(), concat(sent)), "an earlier chunk changed after later reads");
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

    it("destroy(err) is abortive: the peer's socket closes with a reset", async () => {
      const rt = await makeRuntime();
      const p = await pair(rt);
      const c = new Recorder(p.client);
      const s = new Recorder(p.server);
      p.client.write(text("x"));
      await withTimeout(s.waitFor(1), 5000, "first byte");
      p.server.destroy(new Error("bad frame"));
      assert.equal((await withTimeout(s.closedP, 5000, "server close"))?.message, "bad frame");
      if (exceptions.noRst) {
        // The exception: the peer sees FIN, and the RST answers its next write.
        await withTimeout(c.endedP, 5000, "client sees FIN");
        for (let i = 0; i < 100 && !c.closed; i++) {
          p.client.write(text("y"));
          await sleep(10);
        }
      }
      const err = await withTimeout(c.closedP, 5000, "client sees the reset");
      assert.ok(err instanceof SocketError, `client closed with ${err}, not a SocketError`);
      assert.equal(err.kind, "reset");
      assert.equal(err.retryable, true);
      assert.equal(c.closeCount, 1);
      await p.close();
    });

    it("connect to a closed port rejects with a refused SocketError", async () => {
      const rt = await makeRuntime();
      const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
      const port = l.address.port;
      await l.close();
      await assert.rejects(rt.connect({ host: "127.0.0.1", port }), (err: unknown) => {
        assert.ok(err instanceof SocketError, `rejected with ${err}`);
        assert.equal(err.kind, "refused");
        assert.equal(err.retryable, true);
        assert.equal(err.errno, "ECONNREFUSED");
        assert.equal(err.code, "ISTHMUS_SOCKET_REFUSED");
        return true;
      });
    });

    it("an aborted connect rejects as aborted, keeping the caller's reason", async () => {
      const rt = await makeRuntime();
      const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
      const reason = new Error("gave up");
      const ac = new AbortController();
      ac.abort(reason);
      await assert.rejects(
        rt.connect({ host: "127.0.0.1", port: l.address.port, signal: ac.signal }),
        (err: unknown) => {
          assert.ok(err instanceof SocketError, `rejected with ${err}`);
          assert.equal(err.kind, "aborted");
          assert.equal(err.retryable, false);
          assert.equal(err.cause, reason);
          assert.match(err.message, /gave up/);
          return true;
        },
      );
      // A reason that already is a SocketError (a connect timeout) is the rejection itself.
      const timeout = new SocketError("timeout", "connect timeout after 5ms");
      const ac2 = new AbortController();
      ac2.abort(timeout);
      await assert.rejects(
        rt.connect({ host: "127.0.0.1", port: l.address.port, signal: ac2.signal }),
        (err: unknown) => err === timeout,
      );
      await l.close();
    });

    it("listen on a busy port rejects with address_in_use", async () => {
      const rt = await makeRuntime();
      const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
      await assert.rejects(
        rt.listen({ host: "127.0.0.1", port: l.address.port }, (s) => s.destroy()),
        (err: unknown) => {
          assert.ok(err instanceof SocketError, `rejected with ${err}`);
          assert.equal(err.kind, "address_in_use");
          assert.equal(err.errno, "EADDRINUSE");
          assert.equal(err.retryable, false);
          return true;
        },
      );
      await l.close();
    });
  });
}
