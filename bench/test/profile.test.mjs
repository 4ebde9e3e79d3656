// The profile summary's pure parts: source map lookups and self time per part of the path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeProfile, categorize, profileClock } from "../lib/cpuprofile.mjs";
import { decodeVlq, sourceLookup } from "../lib/sourcemap.mjs";
import { parseStraceSummary } from "../lib/syscalls.mjs";

describe("source maps", () => {
  it("decodes base64 VLQ with continuation and sign", () => {
    assert.deepEqual(decodeVlq("AAAA"), [0, 0, 0, 0]);
    assert.deepEqual(decodeVlq("gB"), [16]);
    assert.deepEqual(decodeVlq("D"), [-1]);
    assert.throws(() => decodeVlq("g"), /truncated VLQ/);
  });
  it("maps a generated position to its source and original line", () => {
    // line 0: col 0 -> a.ts:0, col 5 -> b.ts:0; line 1: col 0 -> b.ts:1
    const lookup = sourceLookup({ version: 3, sources: ["a.ts", "b.ts"], mappings: "AAAA,KCAA;AACA" });
    assert.deepEqual(lookup(0, 0), { source: "a.ts", line: 0 });
    assert.deepEqual(lookup(0, 4), { source: "a.ts", line: 0 });
    assert.deepEqual(lookup(0, 7), { source: "b.ts", line: 0 });
    assert.deepEqual(lookup(1, 3), { source: "b.ts", line: 1 });
    assert.equal(lookup(5, 0), null);
  });
});

describe("cpuprofile analysis", () => {
  const cf = (functionName, url = "") => ({ functionName, url, lineNumber: 9, columnNumber: 0 });
  const profile = {
    startTime: 1_000,
    nodes: [
      { id: 1, callFrame: cf("(root)") },
      { id: 2, callFrame: cf("(idle)") },
      { id: 3, callFrame: cf("parseRequestHead", "file:///r/core/protocol/http1/request-head.ts") },
      { id: 4, callFrame: cf("(garbage collector)") },
      { id: 5, callFrame: cf("encodeResponseHead", "file:///r/core/protocol/http1/encoder.ts") },
      { id: 6, callFrame: cf("writeBuffer") },
    ],
    // t = 2000, 3000, ... 9000: the window [3500, 8500] keeps t = 4000..8000, i.e. the parse,
    // the idle, both writeBuffer and the GC samples; the encoder's (t = 9000) is outside.
    samples: [3, 3, 3, 2, 6, 6, 4, 5],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  };
  const resolve = (c) => ({ file: c.url.replace("file:///r/", ""), line: c.lineNumber + 1 });

  it("counts self time per function and per part over the window, idle apart", () => {
    const a = analyzeProfile(profile, { window: { startUs: 3500, endUs: 8500 }, resolve, top: 3 });
    assert.equal(a.samples, 4);
    assert.equal(a.idleSamples, 1);
    assert.equal(a.intervalUs, 1000);
    assert.equal(a.busyMs, 4);
    assert.deepEqual(a.categories.map((c) => [c.name, c.share]), [
      ["runtime native (builtins, I/O bindings)", 0.5],
      ["parse (core/protocol/http1)", 0.25],
      ["GC", 0.25],
    ]);
    assert.deepEqual(a.top[0], {
      fn: "writeBuffer",
      file: "",
      line: 10,
      category: "runtime native (builtins, I/O bindings)",
      samples: 2,
      share: 0.5,
    });
    assert.equal(a.top.length, 3);
  });
  it("takes every sample without a window", () => {
    const a = analyzeProfile(profile, { resolve });
    assert.equal(a.samples + a.idleSamples, 8);
    assert.equal(a.top.find((t) => t.fn === "parseRequestHead").category, "parse (core/protocol/http1)");
  });
  it("sorts files into the parts of the path", () => {
    const c = (file, fn = "f") => categorize({ fn, file });
    assert.equal(c("core/router/route-table.ts"), "routing (core/router)");
    assert.equal(c("core/pool/conn-pool.ts"), "pool, cluster, balancer (core/pool, core/upstream)");
    assert.equal(c("core/network-filters/proxy/session.ts"), "proxy phases (core/proxy, proxy filter)");
    assert.equal(c("core/stream/http1/server-codec.ts"), "stream codec (core/stream/http1)");
    assert.equal(c("core/stream/header-map.ts"), "header map (core/stream)");
    assert.equal(c("ext:deno_net/01_net.js"), "runtime JS (its net/stream layer)");
    assert.equal(c("node:internal/streams/writable"), "runtime JS (its net/stream layer)");
    assert.equal(c("", "(program)"), "runtime native, outside JS (event loop, syscalls)");
  });
  it("tells a wall-clock profile (bun) from a monotonic one (V8)", () => {
    const now = 1_795_981_514_570_000;
    assert.equal(profileClock({ startTime: now - 60e6 }, now), "wall");
    assert.equal(profileClock({ startTime: 7_574_093_795 }, now), "monotonic");
  });
});

describe("strace summary", () => {
  it("reads calls and errors per system call, most calls first, without the total", () => {
    const text = `% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 89.96    3.027840        5913       512        84 futex
  7.11    0.239348          14     16211        64 write
  2.66    0.089499           8     10824           read
  0.00    0.000000           0         1           mmap
------ ----------- ----------- --------- --------- ----------------
100.00    3.365771         119     28240       148 total
`;
    assert.deepEqual(parseStraceSummary(text), [
      { name: "write", calls: 16211, errors: 64 },
      { name: "read", calls: 10824, errors: 0 },
      { name: "futex", calls: 512, errors: 84 },
      { name: "mmap", calls: 1, errors: 0 },
    ]);
  });
});
