// The real CLI, as a user runs it: `isthmus start -c FILE --runtime <the runtime running this>`.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Recorder, str, text, withTimeout } from "../support/bytes.ts";
import { configFile, freePort, isthmus, killLeftovers, proxyConfig, ROOT } from "../support/cli-process.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

describe(`isthmus CLI on ${runtimeName()}`, () => {
  after(killLeftovers);

  it("starts, prints its listeners, proxies, and exits 0 on SIGTERM", async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const proc = isthmus(["start", "-c", configFile("ok.yaml", proxyConfig(p1, p2))]);
    await proc.waitFor(/isthmus: ready/);
    assert.match(proc.stdout, new RegExp(`listener front on 127\\.0\\.0\\.1:${p1} -> tcp_proxy`));
    assert.match(proc.stdout, new RegExp(`listener echo on 127\\.0\\.0\\.1:${p2} -> echo`));
    // MOSN fields we do not act on are named in a warning, and the proxy still starts.
    assert.match(proc.stderr, /warning: servers\[0\]\.default_log_path/);
    const rt = await nativeRuntime();
    const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: p1 }));
    c.socket.write(text("via the cli"));
    await withTimeout(c.waitFor(11), 10000, "echo through the started proxy");
    assert.equal(str(c.bytes()), "via the cli");
    c.socket.destroy();
    proc.kill("SIGTERM");
    const code = await withTimeout(proc.exited, 15000, "exit after SIGTERM");
    assert.match(proc.stdout, /SIGTERM: closing listeners\n[^]*isthmus: stopped/);
    // Deno's node:child_process reports any child it sent a signal to as killed (code null),
    // even one that handled it and exited 0; the "stopped" line above is the check there.
    if (runtimeName() !== "deno") assert.equal(code, 0);
  });

  it("MOSN's default_log_level sets the level; --log-level on the command line wins", async () => {
    for (const flag of [[], ["--log-level", "info"]]) {
      const [p1, p2] = [await freePort(), await freePort()];
      const yaml = proxyConfig(p1, p2).replace(
        "  - default_log_path: stdout",
        "  - default_log_path: stdout\n    default_log_level: DEBUG",
      );
      const proc = isthmus(["start", "-c", configFile("debug.yaml", yaml), ...flag]);
      await proc.waitFor(/isthmus: ready/);
      const rt = await nativeRuntime();
      const c = new Recorder(await rt.connect({ host: "127.0.0.1", port: p1 }));
      c.socket.write(text("x"));
      await withTimeout(c.waitFor(1), 10000, "echo");
      c.socket.destroy();
      if (flag.length === 0) await proc.waitFor(/\[DEBUG\].*accepted connection/);
      proc.kill("SIGTERM");
      await withTimeout(proc.exited, 15000, "exit after SIGTERM");
      if (flag.length > 0) assert.doesNotMatch(proc.stderr + proc.stdout, /\[DEBUG\]/);
    }
  });

  it("a bad address names its path and exits non-zero before opening any port", async () => {
    const p2 = await freePort();
    const proc = isthmus([
      "start",
      "-c",
      configFile("bad-address.yaml", proxyConfig("x", p2).replace("127.0.0.1:x", "abc")),
    ]);
    assert.equal(await withTimeout(proc.exited, 20000, "exit"), 1);
    assert.match(proc.stderr, /servers\[0\]\.listeners\[0\]\.address: expected "host:port", got "abc"/);
    assert.doesNotMatch(proc.stdout, /listener|ready/);
  });

  it("a misspelt key gets a did-you-mean hint", async () => {
    const proc = isthmus(["start", "-c", configFile("typo.yaml", proxyConfig(1, 2).replace("lb_type:", "lb_tpye:"))]);
    assert.equal(await withTimeout(proc.exited, 20000, "exit"), 1);
    assert.match(proc.stderr, /cluster_manager\.clusters\[0\]\.lb_tpye: unknown field, did you mean lb_type\?/);
  });

  it("an unknown lb_type value is an error with a hint", async () => {
    const proc = isthmus([
      "start",
      "-c",
      configFile("lb.yaml", proxyConfig(1, 2).replace("LB_ROUNDROBIN", "LB_ROUNDROBINN")),
    ]);
    assert.equal(await withTimeout(proc.exited, 20000, "exit"), 1);
    assert.match(proc.stderr, /cluster_manager\.clusters\[0\]\.lb_type: .*did you mean LB_ROUNDROBIN/);
  });

  it("a busy port fails the start with the listener's name, and exits non-zero", async () => {
    const rt = await nativeRuntime();
    const busy = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
    const p2 = await freePort();
    const proc = isthmus(["start", "-c", configFile("busy.yaml", proxyConfig(busy.address.port, p2))]);
    assert.equal(await withTimeout(proc.exited, 20000, "exit"), 1);
    assert.match(proc.stderr, /listener front: cannot listen on 127\.0\.0\.1:\d+/);
    await busy.close();
  });

  it("a missing file and bad arguments are reported", async () => {
    const missing = isthmus(["start", "-c", join(ROOT, "nope.yaml")]);
    assert.equal(await withTimeout(missing.exited, 20000, "exit"), 1);
    assert.match(missing.stderr, /nope\.yaml: no such file/);
    const bad = isthmus(["start", "--workers", "zero", "-c", "x.yaml"]);
    assert.equal(await withTimeout(bad.exited, 20000, "exit"), 2);
    assert.match(bad.stderr, /--workers must be a positive integer/);
  });

  it("validate checks a config without opening ports", async () => {
    const proc = isthmus(["validate", "-c", join(ROOT, "examples/quickstart.yaml")]);
    assert.equal(await withTimeout(proc.exited, 20000, "exit"), 0);
    assert.match(proc.stdout, /config OK/);
  });
});
