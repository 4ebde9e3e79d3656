// The launcher runs the JavaScript bundles adapters/build.mjs makes (node's in its own process,
// deno's as a child), never stale: a copy of the sources is edited and the launcher must rebuild
// before it runs, and refuse to run old JavaScript when the new sources do not build.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../support/cli-process.ts";
import { runtimeName } from "../support/runtime.ts";

// The launcher is node whichever runner runs this file: once is enough.
const skip = runtimeName() !== "node" && "the launcher runs on node; the node run covers it";

describe("the node and deno bundles", { skip }, () => {
  let copy = "";
  after(() => copy && rmSync(copy, { recursive: true, force: true }));

  const launch = (...args: string[]) => {
    const r = spawnSync("node", [join(copy, "adapters/cli/isthmus.mjs"), ...args], {
      encoding: "utf8",
      timeout: 60000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const edit = (file: string, from: string, to: string) => {
    const path = join(copy, file);
    const before = readFileSync(path, "utf8");
    assert.ok(before.includes(from), `${file} contains ${from}`);
    writeFileSync(path, before.replace(from, to));
  };

  it("is built on first use, then reused while the sources are unchanged", () => {
    copy = mkdtempSync(join(tmpdir(), "isthmus-bundle-"));
    for (const part of ["core", "adapters", "package.json"]) {
      cpSync(join(ROOT, part), join(copy, part), {
        recursive: true,
        filter: (src) => !src.endsWith("dist"),
      });
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    const first = launch("version");
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /building the node and deno bundles \(none yet\)/);
    assert.match(first.stdout, /^isthmus 0\.1\.0 \(node v\d+/);
    assert.ok(existsSync(join(copy, "adapters/node/dist/main.mjs")));
    assert.ok(existsSync(join(copy, "adapters/deno/dist/main.mjs")));
    const second = launch("version");
    assert.equal(second.code, 0);
    assert.equal(second.stderr, "");
    assert.equal(second.stdout, first.stdout);
  });

  it("is rebuilt before it runs when a core source changed", () => {
    edit("core/cli/run.ts", `VERSION = "0.1.0"`, `VERSION = "0.1.0-edited"`);
    const r = launch("version");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /building the node and deno bundles \(core\/cli\/run\.ts changed\)/);
    assert.match(r.stdout, /^isthmus 0\.1\.0-edited /);
    const deno = launch("version", "--runtime", "deno");
    assert.equal(deno.code, 0, deno.stderr);
    assert.equal(deno.stderr, "");
    assert.match(deno.stdout, /^isthmus 0\.1\.0-edited \(deno /);
  });

  it("rebuilds only the bundle whose sources changed", () => {
    edit("adapters/deno/main.ts", "// isthmus on Deno", "// isthmus on Deno (edited)");
    const r = launch("version");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /building the deno bundle \(adapters\/deno\/main\.ts changed\)/);
  });

  it("a source that does not build stops the launch instead of running the old bundle", () => {
    edit("core/cli/args.ts", "export function parseArgs(", "export function parseArgs(((");
    const r = launch("version");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /core\/cli\/args\.ts/);
    assert.equal(r.stdout, "");
  });
});
