import { MemoryRuntime } from "../../adapters/memory/index.ts";
import { assert, describe, it } from "../../test/support/test-api.ts";
import { loadConfig } from "../config/load.ts";
import { createDefaultRegistry } from "../registry.ts";
import { probeListeners } from "./probe-listeners.ts";

const config = (port: number, bindPort = true) =>
  loadConfig(
    `
servers:
  - listeners:
      - name: front
        address: 127.0.0.1:${port}
        bind_port: ${bindPort}
        filter_chains: [{ filters: [{ type: echo }] }]
`,
    "t.yaml",
    createDefaultRegistry(),
  ).config;

describe("probeListeners", () => {
  it("reports a busy port as a one-process start would, naming the listener", async () => {
    const rt = new MemoryRuntime();
    const other = await rt.listen({ host: "127.0.0.1", port: 2045 }, (s) => s.destroy());
    assert.match(
      (await probeListeners(config(2045), rt))!,
      /^listener front: cannot listen on 127\.0\.0\.1:2045: EADDRINUSE/,
    );
    await other.close();
  });

  it("leaves a free port free", async () => {
    const rt = new MemoryRuntime();
    assert.equal(await probeListeners(config(2045), rt), undefined);
    const again = await rt.listen({ host: "127.0.0.1", port: 2045 }, (s) => s.destroy());
    await again.close();
  });

  it("skips listeners that do not bind", async () => {
    const rt = new MemoryRuntime();
    const other = await rt.listen({ host: "127.0.0.1", port: 2045 }, (s) => s.destroy());
    assert.equal(await probeListeners(config(2045, false), rt), undefined);
    await other.close();
  });
});
