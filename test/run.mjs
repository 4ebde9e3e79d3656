#!/usr/bin/env node
// Runs the one test suite on node, deno and bun, then the bench's own tests on node (or the
// runners named as arguments), and ends with a single line "N passed, N failed" summed over them. Each runner counts in its own way,
// so each one's own summary is parsed: node's spec reporter ("ℹ pass N"), deno's TAP (leaf
// "ok"/"not ok" lines: a describe is a test there and its its are steps), bun's " N pass".
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNNER_TIMEOUT_MS = 20 * 60 * 1000;
// Colour codes a runner may still print are stripped before parsing; the pattern is built from
// the ESC code so it holds no control character (lint's no-control-regex).
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, p));
  }
  return out;
}

const files = ["core", "adapters", "test"].flatMap((d) => findTests(join(root, d))).sort();
// The bench's own tests (report parsing, medians, process-tree accounting) are plain node scripts.
const benchFiles = readdirSync(join(root, "bench", "test")).filter((n) => n.endsWith(".test.mjs")).map((n) =>
  join("bench", "test", n)
).sort();
const bin = (name) => join(root, "node_modules", ".bin", name);

const runners = {
  node: {
    cmd: process.execPath,
    args: ["--import", "tsx", "--test", "--test-reporter=spec", ...files],
    parse(out) {
      const n = (k) => Number(out.match(new RegExp(`^ℹ ${k} (\\d+)$`, "m"))?.[1] ?? NaN);
      return { passed: n("pass"), failed: n("fail") + (n("cancelled") || 0), skipped: n("skipped") };
    },
  },
  deno: {
    cmd: bin("deno"),
    args: ["test", "-A", "--unstable-net", "--reporter=tap", ...files],
    parse(out) {
      const lines = out.split("\n");
      let passed = 0, failed = 0, skipped = 0, prev = "";
      for (const line of lines) {
        const m = line.match(/^(\s*)(not ok|ok) \d+ - (.*)$/);
        if (m) {
          const plan = prev.match(/^(\s*)1\.\.\d+$/);
          const isParent = plan && plan[1].length > m[1].length;
          if (!isParent) {
            if (/# SKIP/i.test(m[3])) skipped++;
            else if (m[2] === "ok") passed++;
            else failed++;
          }
        }
        if (line.trim() !== "") prev = line;
      }
      if (passed + failed + skipped === 0) return { passed: NaN, failed: NaN, skipped: 0 };
      return { passed, failed, skipped };
    },
  },
  bench: {
    cmd: process.execPath,
    files: benchFiles,
    args: ["--test", "--test-reporter=spec", ...benchFiles],
    parse(out) {
      const n = (k) => Number(out.match(new RegExp(`^ℹ ${k} (\\d+)$`, "m"))?.[1] ?? NaN);
      return { passed: n("pass"), failed: n("fail") + (n("cancelled") || 0), skipped: n("skipped") };
    },
  },
  bun: {
    cmd: bin("bun"),
    args: ["test", "--timeout", "60000", ...files.map((f) => "./" + f)],
    parse(out) {
      const n = (k) => Number(out.match(new RegExp(`^\\s*(\\d+) ${k}$`, "m"))?.[1] ?? (k === "skip" ? 0 : NaN));
      return { passed: n("pass"), failed: n("fail"), skipped: n("skip") };
    },
  },
};

function run(name) {
  const r = runners[name];
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${name}: ${(r.files ?? files).length} test files ===\n`);
    const child = spawn(r.cmd, r.args, { cwd: root, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    let out = "";
    const onChunk = (c) => {
      out += c;
      process.stdout.write(c);
    };
    child.stdout.on("data", onChunk);
    child.stderr.on("data", onChunk);
    const timer = setTimeout(() => {
      process.stdout.write(`\n${name}: runner exceeded ${RUNNER_TIMEOUT_MS / 60000} minutes, killed\n`);
      child.kill("SIGKILL");
    }, RUNNER_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ name, passed: 0, failed: 1, skipped: 0, code: -1, note: err.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const clean = out.replace(ANSI_COLOUR, "");
      let { passed, failed, skipped } = r.parse(clean);
      let note = "";
      if (Number.isNaN(passed) || Number.isNaN(failed)) {
        note = "no summary found";
        passed = Number.isNaN(passed) ? 0 : passed;
        failed = 1;
      } else if (code !== 0 && failed === 0) {
        note = `exit code ${code} with no failed test`;
        failed = 1;
      }
      resolve({ name, passed, failed, skipped, code, note });
    });
  });
}

const asked = process.argv.slice(2);
const names = asked.length > 0 ? asked : ["node", "deno", "bun", "bench"];
for (const n of names) {
  if (!runners[n]) {
    console.error(`unknown runner ${n}; expected node, deno, bun or bench`);
    process.exit(2);
  }
}
const results = [];
for (const n of names) results.push(await run(n));
console.log("\n=== summary ===");
for (const r of results) {
  console.log(`${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.note ? ` (${r.note})` : ""}`);
}
const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
