import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { Logger } from "../observe/logger.ts";
import { Stats } from "../observe/stats.ts";
import { Listener } from "./listener.ts";

function setup() {
  const clock = new ManualClock();
  const rt = new MemoryRuntime({ clock });
  const lines: string[] = [];
  const listener = new Listener(
    {
      name: "front",
      address: { host: "127.0.0.1", port: 7100 },
      bindPort: true,
      bufferLimitBytes: 64 * 1024,
      idleTimeoutMs: 0,
      filterChains: [],
      streamFilters: [],
    },
    [],
    { runtime: rt, stats: new Stats(), logger: new Logger((l) => lines.push(l), "info"), reusePort: false },
  );
  return { clock, rt, lines, listener };
}

describe("Listener accept errors", () => {
  it("are logged, one line per interval with a count of the rest, and the listener keeps accepting", async () => {
    const { clock, rt, lines, listener } = setup();
    await listener.start();
    for (let i = 0; i < 100; i++) rt.failAccept("127.0.0.1", 7100, "EMFILE");
    assert.equal(lines.length, 1, "an EMFILE storm must not flood the log");
    assert.match(lines[0], /\[ERROR\] listener front: accept: too many open files \(EMFILE\)$/);
    clock.advance(5000);
    rt.failAccept("127.0.0.1", 7100, "EMFILE");
    assert.equal(lines.length, 2);
    assert.match(
      lines[1],
      /listener front: accept: too many open files \(EMFILE\) \(and 99 more since the last report\)$/,
    );
    const client = await rt.connect({ host: "127.0.0.1", port: 7100 });
    await Promise.resolve();
    assert.equal(listener.activeConnections, 1, "the listener stopped accepting after errors");
    client.destroy();
    await listener.stop(true);
  });
});
