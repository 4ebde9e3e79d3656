// The README's quickstart: examples/quickstart.yaml served by the running runtime's adapter,
// and the try-it lines (examples/get.mjs over HTTP, examples/hello.mjs over TCP) getting their
// answers and returning.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withTimeout } from "../support/bytes.ts";
import { startProxy } from "../support/proxy.ts";
import { freePorts, nativeRuntime, runtimeName } from "../support/runtime.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

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

/** The quickstart config with its four fixed ports moved to free ones. */
async function quickstart(): Promise<{ yaml: string; http: number; tcp: number }> {
  const ports = await freePorts(4);
  let yaml = readFileSync(join(ROOT, "examples/quickstart.yaml"), "utf8");
  [2045, 2046, 2047, 2048].forEach((
    fixed,
    i,
  ) => (yaml = yaml.replaceAll(`127.0.0.1:${fixed}`, `127.0.0.1:${ports[i]}`)));
  return { yaml, http: ports[0]!, tcp: ports[2]! };
}

describe(`quickstart on ${runtimeName()}`, () => {
  it("examples/get.mjs gets the backend's answer through the HTTP proxy, and hello.mjs its line through the tcp_proxy", async () => {
    const q = await quickstart();
    const proxy = await startProxy(await nativeRuntime(), q.yaml);
    try {
      const get = await withTimeout(
        run("node", ["examples/get.mjs", `http://127.0.0.1:${q.http}/any/path`]),
        10000,
        "get.mjs returns",
      );
      assert.equal(get.stderr, "");
      assert.equal(get.code, 0);
      assert.equal(get.stdout, "hello from the isthmus quickstart backend\n");
      const hello = await withTimeout(
        run("node", ["examples/hello.mjs", String(q.tcp), "hello from the test"]),
        10000,
        "hello.mjs returns",
      );
      assert.equal(hello.stderr, "");
      assert.equal(hello.code, 0);
      assert.equal(hello.stdout, "hello from the test\n");
      assert.equal(proxy.stat("http.http.downstream_rq_2xx"), 1, "the front proxy answered 200");
      assert.equal(proxy.stat("http.backend.rq_direct_response"), 1, "by way of the backend listener");
    } finally {
      await proxy.stop();
    }
  });

  it("curl, as the README's first try-it line: GET, a POST with a body, and HEAD", async () => {
    const q = await quickstart();
    const proxy = await startProxy(await nativeRuntime(), q.yaml);
    try {
      const url = `http://127.0.0.1:${q.http}/`;
      const get = await withTimeout(run("curl", ["-sS", url]), 10000, "curl GET");
      assert.equal(get.code, 0, get.stderr);
      assert.equal(get.stdout, "hello from the isthmus quickstart backend\n");
      const post = await withTimeout(
        run("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-d", "x=1", url]),
        10000,
        "curl POST",
      );
      assert.equal(post.stdout, "200");
      const head = await withTimeout(run("curl", ["-sS", "-I", url]), 10000, "curl HEAD");
      assert.match(head.stdout, /^HTTP\/1.1 200 OK\r\n/);
      assert.match(head.stdout, /content-length: 42\r\n/i);
    } finally {
      await proxy.stop();
    }
  });

  it("the try-it scripts say what is wrong when nothing listens", async () => {
    const [dead] = await freePorts(1);
    const hello = await withTimeout(run("node", ["examples/hello.mjs", String(dead)]), 10000, "hello.mjs returns");
    assert.equal(hello.code, 1);
    assert.match(hello.stderr, /ECONNREFUSED.*npm start/);
    const get = await withTimeout(
      run("node", ["examples/get.mjs", `http://127.0.0.1:${dead}/`]),
      10000,
      "get.mjs returns",
    );
    assert.equal(get.code, 1);
    assert.match(get.stderr, /ECONNREFUSED.*npm start/);
  });
});
