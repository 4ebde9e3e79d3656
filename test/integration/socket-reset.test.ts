// Resets on the wire, seen through each runtime's adapter, with node:net (which every runtime
// provides, and whose resetAndDestroy sends a real RST everywhere) as the other end.
import * as net from "node:net";
import { assert, describe, it } from "../support/test-api.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";
import { Recorder, text, withTimeout } from "../support/bytes.ts";
import { SocketError } from "../../core/net/socket-error.ts";
import type { Socket } from "../../core/net/socket.ts";

function nodeServer(onConn: (s: net.Socket) => void): Promise<{ port: number; close(): void }> {
  return new Promise((resolve) => {
    const srv = net.createServer({ allowHalfOpen: true }, (s) => {
      s.on("error", () => {});
      onConn(s);
    });
    srv.listen(
      0,
      "127.0.0.1",
      () => resolve({ port: (srv.address() as net.AddressInfo).port, close: () => srv.close() }),
    );
  });
}

function assertReset(err: Error | undefined): void {
  assert.ok(err instanceof SocketError, `closed with ${err}, not a SocketError`);
  assert.equal(err.kind, "reset");
  assert.equal(err.errno, "ECONNRESET");
  assert.equal(err.retryable, true);
}

describe(`resets on the wire: ${runtimeName()}`, () => {
  it("a connected socket whose peer sends RST closes with a reset", async () => {
    const rt = await nativeRuntime();
    const srv = await nodeServer((s) => s.once("data", () => s.resetAndDestroy()));
    const sock = await rt.connect({ host: "127.0.0.1", port: srv.port });
    const r = new Recorder(sock);
    sock.write(text("hello"));
    assertReset(await withTimeout(r.closedP, 5000, "close after the peer's RST"));
    srv.close();
  });

  it("an accepted socket whose client sends RST closes with a reset", async () => {
    const rt = await nativeRuntime();
    let accepted!: (s: Socket) => void;
    const got = new Promise<Socket>((r) => (accepted = r));
    const l = await rt.listen({ host: "127.0.0.1", port: 0 }, accepted);
    const client = net.connect(l.address.port, "127.0.0.1");
    client.on("error", () => {});
    const r = new Recorder(await withTimeout(got, 5000, "accept"));
    client.write("hello");
    await withTimeout(r.waitFor(5), 5000, "first bytes");
    client.resetAndDestroy();
    assertReset(await withTimeout(r.closedP, 5000, "close after the client's RST"));
    await l.close();
  });

  it("destroy(err) reaches a node:net peer as ECONNRESET (Deno: as FIN, then a reset on its next write)", async () => {
    const rt = await nativeRuntime();
    const seen: string[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const srv = await nodeServer((s) => {
      s.on("error", (e: Error & { code?: string }) => seen.push(`error ${e.code}`));
      s.on("end", () => {
        seen.push("end");
        // Deno sends FIN; the RST answers what the peer writes next.
        const tick = setInterval(() => (s.destroyed ? clearInterval(tick) : s.write("more")), 10);
      });
      s.on("close", () => done());
    });
    const sock = await rt.connect({ host: "127.0.0.1", port: srv.port });
    sock.destroy(new Error("bad frame"));
    await withTimeout(finished, 5000, "the peer closes");
    if (runtimeName() === "deno") {
      assert.equal(seen[0], "end");
      assert.match(seen[1] ?? "", /^error (ECONNRESET|EPIPE)$/);
    } else {
      assert.deepEqual(seen, ["error ECONNRESET"]);
    }
    srv.close();
  });
});
