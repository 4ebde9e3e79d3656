// `--workers 2` on the runtime running this test (node:cluster on node, SO_REUSEPORT processes
// on deno and bun): dead workers are replaced within a budget, stops reach every worker, a
// second instance is refused, and a dead primary leaves no worker holding the port.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, str, text, withTimeout } from "../support/bytes.ts";
import {
  alive,
  allGone,
  childrenOf,
  configFile,
  freePort,
  isthmus,
  killLeftovers,
  proxyConfig,
  proxyPids,
  waitUntil,
} from "../support/cli-process.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

async function startWorkers() {
  const [front, echo] = [await freePort(), await freePort()];
  const config = configFile(`workers-${front}.yaml`, proxyConfig(front, echo));
  const proc = isthmus(["start", "-c", config, "--workers", "2"]);
  await proc.waitForCount(/isthmus: ready/, 2);
  return { proc, config, front, echo, workers: proxyPids(proc.stdout) };
}

async function echoes(port: number): Promise<void> {
  const rt = await nativeRuntime();
  const c = new Recorder(await rt.connect({ host: "127.0.0.1", port }));
  c.socket.write(text("ping"));
  await withTimeout(c.waitFor(4), 10000, "echo through a worker");
  assert.equal(str(c.bytes()), "ping");
  c.socket.destroy();
}

/** The primary: the launcher itself on node, the launcher's child on deno and bun. */
function primaryOf(launcherPid: number): number {
  return runtimeName() === "node" ? launcherPid : childrenOf(launcherPid)[0]!;
}

describe(`isthmus --workers 2 on ${runtimeName()}`, () => {
  after(killLeftovers);

  it("a worker that dies is logged and replaced; SIGTERM then stops every worker and frees the port", async () => {
    const t = await startWorkers();
    assert.equal(t.workers.length, 2);
    process.kill(t.workers[0]!, "SIGKILL");
    await t.proc.waitFor(new RegExp(`worker \\d \\(pid ${t.workers[0]}\\) was killed by SIGKILL; starting a new one`));
    await t.proc.waitForCount(/isthmus: ready/, 3);
    const all = proxyPids(t.proc.stdout);
    assert.equal(all.length, 3);
    await echoes(t.front);
    t.proc.kill("SIGTERM");
    await withTimeout(t.proc.exited, 20000, "exit after SIGTERM");
    assert.match(t.proc.stdout, /SIGTERM: stopping 2 workers/);
    assert.match(t.proc.stdout, /isthmus: stopped\n$/);
    await allGone([...all, t.proc.pid], [t.front, t.echo]);
  });

  it("workers that keep dying stop the primary with an error instead of looping", async () => {
    const t = await startWorkers();
    const killed = new Set<number>();
    // The budget is 5 deaths a minute: the sixth gives up.
    for (let i = 0; i < 6; i++) {
      const victim = await waitUntil(
        () => proxyPids(t.proc.stdout).find((p) => !killed.has(p) && alive(p)),
        20000,
        `worker ${i + 1} to kill`,
      );
      killed.add(victim);
      process.kill(victim, "SIGKILL");
      await t.proc.waitFor(new RegExp(`\\(pid ${victim}\\) was killed by SIGKILL`));
    }
    const code = await withTimeout(t.proc.exited, 20000, "the primary gives up");
    assert.match(t.proc.stderr, /workers died 6 times within 60s: giving up/);
    if (runtimeName() !== "deno") assert.equal(code, 1);
    await allGone([...proxyPids(t.proc.stdout), t.proc.pid], [t.front, t.echo]);
  });

  it("a second isthmus on the same port is refused, as with one worker, and takes no connection", async () => {
    const t = await startWorkers();
    const second = isthmus(["start", "-c", t.config, "--workers", "2"]);
    const code = await withTimeout(second.exited, 20000, "the second instance exits");
    assert.match(second.stderr, new RegExp(`listener front: cannot listen on 127\\.0\\.0\\.1:${t.front}: EADDRINUSE`));
    assert.doesNotMatch(second.stdout, /ready/);
    if (runtimeName() !== "deno") assert.equal(code, 1);
    await echoes(t.front);
    t.proc.kill("SIGTERM");
    await withTimeout(t.proc.exited, 20000, "exit after SIGTERM");
    await allGone([...t.workers, t.proc.pid], [t.front, t.echo]);
  });

  it("a primary killed with SIGKILL leaves no worker holding the port", async () => {
    const t = await startWorkers();
    const primary = primaryOf(t.proc.pid);
    assert.ok(primary > 0 && alive(primary));
    process.kill(primary, "SIGKILL");
    await allGone([...t.workers, primary], [t.front, t.echo]);
    if (runtimeName() !== "node") await withTimeout(t.proc.exited, 10000, "the launcher exits with its child");
  });
});
