// `npm start` and `npx isthmus` run the proxy under npm and `sh -c`; a SIGTERM to npm (what
// systemd or Docker send to the process they started) ends npm without reaching the proxy.
// The proxy notices its parent is gone and stops: no process keeps the port.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { withTimeout } from "../support/bytes.ts";
import {
  allGone,
  childrenOf,
  configFile,
  freePort,
  isthmus,
  killLeftovers,
  proxyConfig,
  proxyPids,
} from "../support/cli-process.ts";
import { runtimeName } from "../support/runtime.ts";

/** Every process below `pid`, depth first. */
function tree(pid: number): number[] {
  return childrenOf(pid).flatMap((c) => [c, ...tree(c)]);
}

describe(`isthmus under npm on ${runtimeName()}`, () => {
  after(killLeftovers);

  it("SIGTERM to `npm start` stops the proxy", async () => {
    const [front, echo] = [await freePort(), await freePort()];
    const proc = isthmus(["-c", configFile(`npm-${front}.yaml`, proxyConfig(front, echo))], "npm start");
    await proc.waitFor(/isthmus: ready/);
    const below = tree(proc.pid);
    assert.ok(below.includes(proxyPids(proc.stdout)[0]!), "the proxy runs below npm");
    proc.kill("SIGTERM");
    await withTimeout(proc.exited, 15000, "npm exits");
    await allGone(below, [front, echo]);
    assert.match(proc.stdout, /exited: closing listeners|SIGTERM: closing listeners/);
  });

  it("SIGTERM to `npx isthmus --workers 2` stops the primary and every worker", async () => {
    const [front, echo] = [await freePort(), await freePort()];
    const proc = isthmus(
      ["start", "-c", configFile(`npx-${front}.yaml`, proxyConfig(front, echo)), "--workers", "2"],
      "npx",
    );
    await proc.waitForCount(/isthmus: ready/, 2, 60000);
    const below = tree(proc.pid);
    for (const w of proxyPids(proc.stdout)) assert.ok(below.includes(w), `worker ${w} runs below npx`);
    proc.kill("SIGTERM");
    await withTimeout(proc.exited, 15000, "npx exits");
    await allGone(below, [front, echo]);
    assert.match(proc.stdout, /stopping 2 workers/);
  });
});
