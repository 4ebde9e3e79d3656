import { describe, it, assert } from "../../test/support/test-api.ts";
import { MemoryRuntime } from "../../adapters/memory/index.ts";
import { Recorder, sleep, str, text, withTimeout } from "../../test/support/bytes.ts";
import type { CloseEvent } from "./connection-events.ts";
import { Connection } from "./connection.ts";
import { FilterStatus, type ReadFilter } from "./filter.ts";
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
    conn.addReadFilter({ onData: (d) => (seen.push("a:" + str(d)), str(d) === "stop" ? FilterStatus.Stop : FilterStatus.Continue) });
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
    conn.addReadFilter({ onData: () => { throw new Error("filter bug"); } });
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
