// Stopping one proxy process with signals, as systemd, Docker and terminals do, through the
// real launcher on the runtime running this test: SIGTERM drains, SIGINT or a second SIGTERM
// stops at once.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Recorder, str, text, withTimeout } from "../support/bytes.ts";
import {
  allGone,
  configFile,
  freePort,
  isthmus,
  killLeftovers,
  proxyConfig,
  proxyPids,
} from "../support/cli-process.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

async function started(graceful: string) {
  const [front, echo] = [await freePort(), await freePort()];
  const proc = isthmus(["start", "-c", configFile(`drain-${front}.yaml`, proxyConfig(front, echo, { graceful }))]);
  await proc.waitFor(/isthmus: ready/);
  const rt = await nativeRuntime();
  const client = new Recorder(await rt.connect({ host: "127.0.0.1", port: front }));
  client.socket.write(text("hello"));
  await withTimeout(client.waitFor(5), 10000, "echo before the stop");
  return { proc, front, echo, rt, client, pids: [...proxyPids(proc.stdout), proc.pid] };
}

// Deno's node:child_process reports any child it sent a signal to as killed (code null), even
// one that handled it and exited 0; the "stopped" line is the check there.
function assertCleanExit(code: number | null): void {
  if (runtimeName() !== "deno") assert.equal(code, 0);
}

describe(`stopping isthmus on ${runtimeName()}`, () => {
  after(killLeftovers);

  it("SIGTERM closes the listeners at once, serves open connections, and exits when the last one closes", async () => {
    const t = await started("60s");
    t.proc.kill("SIGTERM");
    // The proxy's own connection to its echo listener counts too.
    await t.proc.waitFor(/isthmus: draining 2 connections for up to 60s/);
    await assert.rejects(
      t.rt.connect({ host: "127.0.0.1", port: t.front }),
      "new connections are refused during the drain",
    );
    t.client.socket.write(text(" again"));
    await withTimeout(t.client.waitFor(11), 10000, "echo during the drain");
    assert.equal(str(t.client.bytes()), "hello again");
    t.client.socket.end();
    // Far less than the 60 s period: the process is done when its last connection is.
    const code = await withTimeout(t.proc.exited, 15000, "exit once the last connection closed");
    assert.match(t.proc.stdout, /SIGTERM: closing listeners\n[^]*isthmus: stopped\n$/);
    assert.doesNotMatch(t.proc.stdout, /drain period over/);
    assertCleanExit(code);
    await allGone(t.pids, [t.front, t.echo]);
  });

  it("when graceful_timeout ends, the connections still open are closed and the process exits", async () => {
    const t = await started("1s");
    t.proc.kill("SIGTERM");
    await withTimeout(t.client.endedP, 15000, "the proxy closes the connection at the end of the period");
    const code = await withTimeout(t.proc.exited, 15000, "exit at the end of the period");
    assert.match(
      t.proc.stdout,
      /draining 2 connections for up to 1s\nisthmus: drain period over: closing \d connections?\nisthmus: stopped/,
    );
    assertCleanExit(code);
    t.client.socket.destroy();
    await allGone(t.pids, [t.front, t.echo]);
  });

  it("a second SIGTERM during the drain exits at once", async () => {
    const t = await started("60s");
    t.proc.kill("SIGTERM");
    await t.proc.waitFor(/draining 2 connections/);
    t.proc.kill("SIGTERM");
    const code = await withTimeout(t.proc.exited, 15000, "exit on the second signal, long before 60s");
    await withTimeout(t.client.endedP, 5000, "the connection is closed");
    // Under the node launcher, deno and bun get the launcher's "now" as SIGINT.
    assert.match(t.proc.stdout, /(SIGTERM again|SIGINT): closing 2 connections now\nisthmus: stopped/);
    assertCleanExit(code);
    t.client.socket.destroy();
    await allGone(t.pids, [t.front, t.echo]);
  });

  it("SIGINT (Ctrl-C) closes everything at once, as MOSN does", async () => {
    const t = await started("60s");
    t.proc.kill("SIGINT");
    const code = await withTimeout(t.proc.exited, 15000, "exit on SIGINT");
    await withTimeout(t.client.endedP, 5000, "the connection is closed");
    assert.match(t.proc.stdout, /SIGINT: closing listeners and 2 connections\nisthmus: stopped/);
    assertCleanExit(code);
    t.client.socket.destroy();
    await allGone(t.pids, [t.front, t.echo]);
  });
});
