// Every config in examples/ (and its folders) loads without errors or warnings, as `isthmus
// validate` reads it; the RPC examples (examples/dubbo, examples/bolt) serve as their READMEs
// show, with their ports changed: consumer -> client-proxy.json -> server-proxy.json -> provider.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../core/config/load.ts";
import { createDefaultRegistry } from "../../core/registry.ts";
import { startProxy, type TestProxy } from "../support/proxy.ts";
import {
  type CallSummary,
  killPeers,
  type PeerServer,
  runBoltClient,
  runDubboConsumer,
  startBoltServer,
  startDubboProvider,
} from "../support/rpc-peers.ts";
import { freePorts, nativeRuntime, runtimeName } from "../support/runtime.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXAMPLES = join(ROOT, "examples");

/** Config files under examples/, as paths relative to it. */
function configs(dir = "", out: string[] = []): string[] {
  for (const entry of readdirSync(join(EXAMPLES, dir), { withFileTypes: true })) {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) configs(rel, out);
    else if (/\.(ya?ml|json)$/.test(entry.name)) out.push(rel);
  }
  return out.sort();
}

describe("examples/ configs", () => {
  const files = configs();
  it("there are some, the RPC examples' among them", () => {
    assert.ok(files.length >= 6, files.join(", "));
    for (const f of ["bolt/client-proxy.json", "bolt/server-proxy.json", "dubbo/client-proxy.json"]) {
      assert.ok(files.includes(f), f);
    }
  });
  for (const file of files) {
    it(`${file} loads with no warning`, () => {
      const { warnings } = loadConfig(readFileSync(join(EXAMPLES, file), "utf8"), file, createDefaultRegistry());
      assert.deepEqual(warnings, []);
    });
  }
});

interface RpcExample {
  dir: "dubbo" | "bolt";
  providerPort: number;
  startProvider(): Promise<PeerServer>;
  call(address: string): Promise<CallSummary>;
}

const RPC_EXAMPLES: RpcExample[] = [
  {
    dir: "dubbo",
    providerPort: 20880,
    startProvider: () => startDubboProvider({ name: "P" }),
    call: (address) => runDubboConsumer(address, { calls: 3 }),
  },
  {
    dir: "bolt",
    providerPort: 12200,
    startProvider: () => startBoltServer({ name: "S" }),
    call: (address) => runBoltClient(address, { calls: 3 }),
  },
];

describe(`examples/dubbo and examples/bolt served on ${runtimeName()}`, () => {
  after(killPeers);

  for (const ex of RPC_EXAMPLES) {
    it(`examples/${ex.dir}: its README's commands name its files and ports`, () => {
      const readme = readFileSync(join(EXAMPLES, ex.dir, "README.md"), "utf8");
      const started = [...readme.matchAll(/npx isthmus start -c (\S+)/g)].map((m) => m[1]!);
      assert.deepEqual(
        new Set(started),
        new Set([`examples/${ex.dir}/server-proxy.json`, `examples/${ex.dir}/client-proxy.json`]),
      );
      for (const p of readme.matchAll(/node (test\/peers\/\S+\.mjs)/g)) assert.ok(existsSync(join(ROOT, p[1]!)), p[1]);
      assert.match(readme, new RegExp(`--port ${ex.providerPort}\\b`));
      assert.match(readme, /--address 127\.0\.0\.1:2045\b/);
    });

    it(`examples/${ex.dir}: consumer -> client-proxy.json -> server-proxy.json -> provider, ports changed only`, async () => {
      const [client, server] = await freePorts(2);
      const provider = await ex.startProvider();
      const move = (text: string) =>
        text.replaceAll("127.0.0.1:2045", `127.0.0.1:${client}`).replaceAll("127.0.0.1:2046", `127.0.0.1:${server}`)
          .replaceAll(`127.0.0.1:${ex.providerPort}`, provider.address);
      const read = (name: string) => move(readFileSync(join(EXAMPLES, ex.dir, name), "utf8"));
      const rt = await nativeRuntime();
      const proxies: TestProxy[] = [];
      try {
        proxies.push(await startProxy(rt, read("server-proxy.json")));
        proxies.push(await startProxy(rt, read("client-proxy.json")));
        const r = await ex.call(`127.0.0.1:${client}`);
        assert.equal(r.ok, 3, JSON.stringify(r.errors));
        assert.equal(r.mismatches, 0);
        assert.deepEqual(r.by, { [provider.name]: 3 });
        assert.equal(proxies[1]!.stat("cluster.clientCluster.upstream_rq_total"), 3);
        assert.equal(proxies[0]!.stat("cluster.serverCluster.upstream_rq_total"), 3);
      } finally {
        for (const p of proxies.reverse()) await p.stop();
        const stats = await provider.stop();
        assert.equal(stats?.requests, 3);
      }
    });
  }
});
