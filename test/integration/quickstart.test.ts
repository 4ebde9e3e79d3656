// The README's quickstart: examples/quickstart.yaml served by the running runtime's adapter,
// and examples/hello.mjs (the try-it line) getting its answer and returning.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withTimeout } from "../support/bytes.ts";
import { startProxy } from "../support/proxy.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function freePorts(n: number): Promise<number[]> {
  const rt = await nativeRuntime();
  const handles = await Promise.all(Array.from({ length: n }, () => rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy())));
  await Promise.all(handles.map((h) => h.close()));
  return handles.map((h) => h.address.port);
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`quickstart on ${runtimeName()}`, () => {
  it("examples/hello.mjs gets its line back through the quickstart proxy and exits 0", async () => {
    const [front, echo] = await freePorts(2);
    const yaml = readFileSync(join(ROOT, "examples/quickstart.yaml"), "utf8")
      .replaceAll("127.0.0.1:2045", `127.0.0.1:${front}`)
      .replaceAll("127.0.0.1:2046", `127.0.0.1:${echo}`);
    const proxy = await startProxy(await nativeRuntime(), yaml);
    try {
      const r = await withTimeout(run("node", ["examples/hello.mjs", String(front), "hello from the test"]), 10000, "hello.mjs returns");
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.equal(r.stdout, "hello from the test\n");
    } finally {
      await proxy.stop();
    }
  });

  it("examples/hello.mjs says what is wrong when nothing listens", async () => {
    const [dead] = await freePorts(1);
    const r = await withTimeout(run("node", ["examples/hello.mjs", String(dead)]), 10000, "hello.mjs returns");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ECONNREFUSED.*npm start/);
  });
});
