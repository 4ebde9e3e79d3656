// The rpc scenario's pure parts: settings, the MOSN-shaped proxy config and isthmus's verdict on
// it, the upstream's connection count, the goals and the report rows.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isthmusRpcProxy } from "../lib/configs.mjs";
import { rpcGoals, verdict } from "../lib/goals.mjs";
import { htmlReport } from "../lib/report-html.mjs";
import { markdownReport } from "../lib/report-text.mjs";
import { readSettings } from "../lib/settings.mjs";
import { summarize } from "../lib/summary.mjs";
import { loadTable } from "../lib/tables.mjs";
import { refusalText, validateIsthmusConfig } from "../lib/targets.mjs";
import { acceptedSoFar } from "../lib/upstreams.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("RPC settings", () => {
  it("measures bolt and dubbo over 4 connections x 64 in flight unless told otherwise", () => {
    const s = readSettings({}, []);
    assert.deepEqual(s.rpcProtocols, ["bolt", "dubbo"]);
    assert.equal(s.rpcConnections, 4);
    assert.equal(s.rpcInflight, 64);
    const t = readSettings(
      { BENCH_RPC_PROTOCOLS: "dubbo", BENCH_RPC_CONNECTIONS: "32", BENCH_RPC_INFLIGHT: "8" },
      [],
    );
    assert.deepEqual([t.rpcProtocols, t.rpcConnections, t.rpcInflight], [["dubbo"], 32, 8]);
  });
  it("refuses a protocol it has no frames for", () => {
    assert.throws(
      () => readSettings({ BENCH_RPC_PROTOCOLS: "bolt,tars" }, []),
      /BENCH_RPC_PROTOCOLS=bolt,tars: expected a list of bolt, dubbo/,
    );
  });
});

describe("isthmus RPC proxy config", () => {
  const tmp = mkdtempSync(join(os.tmpdir(), "isthmus-rpc-test-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const ctx = { tmp, root: ROOT };

  it("is MOSN's shape: X on both sides, the sub_protocol, a service route, one upstream host", () => {
    const yaml = isthmusRpcProxy(8080, 9090, "dubbo");
    assert.match(yaml, /address: 127\.0\.0\.1:8080\n/);
    assert.match(yaml, /downstream_protocol: X\n\s+upstream_protocol: X\n\s+extend_config: \{ sub_protocol: dubbo \}/);
    assert.match(yaml, /match: \{ headers: \[\{ name: service, value: "\.\*" \}\] \}/);
    assert.match(yaml, /lb_type: LB_RANDOM\n\s+hosts: \[\{ address: "127\.0\.0\.1:9090" \}\]/);
  });

  it("is taken by isthmus, or refused only because X is not served yet", () => {
    const why = validateIsthmusConfig(ctx, "rpc-bolt", isthmusRpcProxy(8080, 9090, "bolt"));
    if (why !== null) assert.match(why, /^downstream_protocol: protocol "X" is not supported yet/);
    // Everything but the protocol (the any-service route, LB_RANDOM) loads today.
    const http = isthmusRpcProxy(8080, 9090, "bolt")
      .replace(
        /downstream_protocol: X\n\s+upstream_protocol: X\n\s+extend_config: .*\n/,
        "downstream_protocol: Http1\n",
      );
    assert.equal(validateIsthmusConfig(ctx, "rpc-as-http", http), null);
  });

  it("reads a refusal as the field and the message", () => {
    const file = "/tmp/x/isthmus-node-bolt-validate.yaml";
    assert.equal(
      refusalText(
        `isthmus: ${file}: servers[0].listeners[0].filter_chains[0].filters[0].config.downstream_protocol: protocol "X" is not supported yet (available: Http1, Auto)`,
        file,
      ),
      'downstream_protocol: protocol "X" is not supported yet (available: Http1, Auto)',
    );
  });
});

describe("acceptedSoFar", () => {
  it("reads the upstream's last count", () => {
    assert.equal(acceptedSoFar("rpc-upstream: listening on 127.0.0.1:1 (bolt)\n"), 0);
    assert.equal(
      acceptedSoFar(
        "rpc-upstream: listening on 127.0.0.1:1 (bolt)\nrpc-upstream: accepted 1\nrpc-upstream: accepted 12\n",
      ),
      12,
    );
  });
});

const METRICS = [
  "rps",
  "p99Ms",
  "proxyCpuShare",
  "rpsPerCore",
  "proxyRssIdleKiB",
  "proxyRssPeakKiB",
  "upstreamConnections",
  "downstreamConnections",
  "latencyP99Ms",
];
const target = (name, group, rows, missing = null) => ({
  name,
  group,
  label: name,
  missing,
  rounds: rows,
  summary: missing ? null : summarize(rows, METRICS),
});
const SKIPPED = 'skipped: isthmus says downstream_protocol: protocol "X" is not supported yet';

function rpcSection() {
  return {
    id: "rpc-bolt",
    title: "SOFARPC Bolt through the proxy filter (X, sub_protocol bolt), 1 worker",
    workers: 1,
    connections: 4,
    pinning: { pinned: true, proxy: "0", load: "1", note: "proxy under test on CPU 0" },
    load: "bench/rpc-loadgen.mjs bolt, 4 connections x 64",
    loadNote: null,
    upstream: "bench/rpc-upstream.mjs bolt",
    unit: "req/s",
    ratios: [],
    cpuPerRequest: true,
    upstreamConnections: true,
    targets: [
      target("direct", "reference", [
        { ok: true, round: 1, rps: 900_000, p99Ms: 0.5, upstreamConnections: 8, downstreamConnections: 8 },
      ]),
      target("isthmus-node", "isthmus", [{
        ok: true,
        round: 1,
        rps: 20_000,
        p99Ms: 1.2,
        proxyCpuShare: 1,
        rpsPerCore: 20_000,
        proxyRssIdleKiB: 50_000,
        proxyRssPeakKiB: 70_000,
        upstreamConnections: 1,
        downstreamConnections: 8,
      }]),
      target("isthmus-deno", "isthmus", [{
        ok: true,
        round: 1,
        rps: 15_000,
        p99Ms: 2.0,
        proxyCpuShare: 1,
        rpsPerCore: 15_000,
        upstreamConnections: 8,
        downstreamConnections: 8,
      }]),
      target("isthmus-bun", "isthmus", [], SKIPPED),
    ],
  };
}

describe("rpcGoals", () => {
  it("checks 16,000 req/s and p99 added per runtime, unknown for one that did not run", () => {
    const goals = rpcGoals(rpcSection());
    const byText = Object.fromEntries(goals.map((g) => [g.text, g]));
    const rps = (n) => `${n}: one worker at least 16,000 req/s (MOSN 0.2.1's one-core Bolt figure)`;
    const p99 = (n) => `${n}: p99 added over direct at most 1 ms`;
    assert.equal(goals.length, 6);
    assert.deepEqual(byText[rps("isthmus-node")], { text: rps("isthmus-node"), value: "20,000 req/s", met: true });
    assert.equal(byText[p99("isthmus-node")].value, "+0.70 ms");
    assert.equal(verdict(byText[p99("isthmus-node")]), "met");
    assert.equal(verdict(byText[rps("isthmus-deno")]), "NOT met");
    assert.equal(verdict(byText[p99("isthmus-deno")]), "NOT met"); // +1.50 ms
    assert.equal(verdict(byText[rps("isthmus-bun")]), "unknown");
    assert.equal(byText[p99("isthmus-bun")].value, "not measured");
  });

  it("reads p99 added from the light-load run when the section has one", () => {
    const sec = withLatency(rpcSection());
    const goals = rpcGoals(sec);
    const g = (n) => goals.find((x) => x.text === `${n}: p99 added over direct at most 1 ms (at 4 x 1 in flight)`);
    assert.equal(g("isthmus-node").value, "+0.08 ms");
    assert.equal(g("isthmus-node").met, true);
    assert.equal(g("isthmus-deno").value, "+1.10 ms");
    assert.equal(g("isthmus-deno").met, false);
    assert.equal(g("isthmus-bun").met, null);
  });
});

/** The section with a light-load run: 4 x 1 in flight, p99 0.05 ms direct, 0.13 node, 1.15 deno. */
function withLatency(sec) {
  sec.latency = { connections: 4, inflight: 1, seconds: 2 };
  const p99 = { direct: 0.05, "isthmus-node": 0.13, "isthmus-deno": 1.15 };
  sec.targets = sec.targets.map((t) =>
    t.missing ? t : target(t.name, t.group, t.rounds.map((r) => ({ ...r, latencyP99Ms: p99[t.name] })))
  );
  return sec;
}

describe("RPC report rows", () => {
  it("have the upstream connections column and the skip reason", () => {
    const { header, body } = loadTable(rpcSection(), 1);
    const col = header.indexOf("upstream conns (downstream)");
    assert.equal(col, header.indexOf("x direct") + 1);
    assert.ok(!header.some((h) => / per core$/.test(h) && h.startsWith("x ")), "no anchor ratio columns");
    assert.equal(body[0][col], "8 (8)");
    assert.equal(body[1][col], "1 (8)");
    assert.equal(body[1][header.indexOf("p99 added ms")], "+0.70");
    assert.equal(body[1][header.indexOf("x direct")], "0.02");
    assert.deepEqual(body[3], ["isthmus-bun", SKIPPED]);
    const light = loadTable(withLatency(rpcSection()), 1);
    const lc = light.header.indexOf("p99 ms at 4x1 (added)");
    assert.equal(lc, light.header.indexOf("p99 added ms") + 1);
    assert.deepEqual(light.body.slice(0, 3).map((r) => r[lc]), ["0.05", "0.13 (+0.08)", "1.15 (+1.10)"]);
  });

  it("go into the Markdown and HTML reports with their goals and the connections chart", () => {
    const sec = withLatency(rpcSection());
    sec.goals = rpcGoals(sec);
    const report = {
      title: "isthmus benchmark (rpc-bolt)",
      info: {
        date: "2026-01-01T00:00:00Z",
        nproc: 2,
        hostCpus: 2,
        cpusAllowed: "0,1",
        cpuModel: "Test CPU",
        memory: "1 GiB",
        kernel: "Linux 6",
        loadavgAtStart: [0, 0, 0],
        versions: {
          node: "node",
          deno: "deno",
          bun: "bun",
          haproxy: "-",
          nginx: "-",
          wrk: "-",
          httpProxy: "-",
          taskset: "-",
        },
      },
      settings: { duration: 3, warmup: 1, repeat: 1, churnConns: 0, idleConns: 0, quick: false },
      loads: [sec],
      churn: null,
      idle: null,
      loadavgAtEnd: [0, 0, 0],
      elapsedSeconds: 9,
    };
    const md = markdownReport(report);
    assert.match(
      md,
      /\| isthmus-node \| 20,000 \| 100% \| 20,000 \| 1\.20 \| \+0\.70 \| 0\.13 \(\+0\.08\) \| 0\.02 \| 1 \(8\) \|/,
    );
    assert.match(
      md,
      /\| isthmus-bun \| skipped: isthmus says downstream_protocol: protocol "X" is not supported yet \|/,
    );
    assert.match(
      md,
      /- isthmus-bun: one worker at least 16,000 req\/s \(MOSN 0\.2\.1's one-core Bolt figure\): not measured, unknown/,
    );
    const html = htmlReport(report);
    assert.match(
      html,
      /SOFARPC Bolt through the proxy filter \(X, sub_protocol bolt\), 1 worker: upstream connections opened/,
    );
    assert.match(html, /20,000 req\/s, <b class="met">met<\/b>/);
    assert.match(html, /1 worker: p99 latency at 4 x 1 in flight, ms/);
    assert.doesNotMatch(html, /NaN|undefined/);
  });
});
