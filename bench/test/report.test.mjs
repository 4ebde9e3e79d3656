// Reports from a synthetic result: tables name missing tools, the HTML is self-contained.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { barChart, esc, htmlReport, niceStep } from "../lib/report-html.mjs";
import { markdownReport } from "../lib/report-text.mjs";
import { summarize } from "../lib/summary.mjs";

const METRICS = [
  "rps",
  "p99Ms",
  "proxyCpuShare",
  "rpsPerCore",
  "proxyRssIdleKiB",
  "proxyRssPeakKiB",
  "loadSideCpuShare",
  "proxyUserUsPerRequest",
  "proxySysUsPerRequest",
];
const row = (round, rps, extra = {}) => ({
  ok: true,
  round,
  rps,
  p50Ms: 1,
  p99Ms: 2,
  errorCount: 0,
  loadSideCpuShare: 0.9,
  ...extra,
});
const proxyRow = (round, rps) =>
  row(round, rps, {
    proxyCpuShare: 0.5,
    rpsPerCore: rps * 2,
    proxyRssIdleKiB: 40_000,
    proxyRssPeakKiB: 60_000,
    proxyUserUsPerRequest: 30,
    proxySysUsPerRequest: 20,
    proxyProcesses: [{ comm: "node", rssPeakKiB: 20_000 }, { comm: "deno", rssPeakKiB: 40_000 }],
  });
const target = (name, group, rounds, missing = null) => ({
  name,
  group,
  label: name,
  missing,
  rounds,
  summary: missing ? null : summarize(rounds, METRICS),
});

const report = {
  title: "isthmus L4 benchmark <test>",
  info: {
    date: "2026-01-01T00:00:00Z",
    nproc: 2,
    hostCpus: 2,
    cpusAllowed: "0,1",
    cpuModel: "Test CPU",
    memory: "1 GiB",
    kernel: "Linux 6",
    loadavgAtStart: [1, 1, 1],
    versions: {
      node: "node v20",
      deno: "deno 2",
      bun: "bun 1",
      haproxy: "not installed (Debian package haproxy)",
      nginx: "nginx 1",
      wrk: "wrk 4",
      httpProxy: "http-proxy 1",
      taskset: "util-linux taskset",
    },
  },
  settings: { duration: 2, warmup: 1, repeat: 3, churnConns: 0, idleConns: 0, quick: true },
  loads: [
    {
      id: "l4",
      title: "L4: tcp_proxy, 1 worker",
      workers: 1,
      pinning: { pinned: true, proxy: "0", load: "1", note: "proxy under test on CPU 0; load on CPU 1" },
      load: "wrk -t1 -c50",
      loadNote: null,
      upstream: "nginx",
      unit: "req/s",
      ratios: ["haproxy"],
      targets: [
        target("direct", "reference", [row(1, 1000), row(2, 1200), row(3, 1100)]),
        target("isthmus-deno", "isthmus", [proxyRow(1, 500), { ok: false, round: 2, error: "died" }, proxyRow(3, 700)]),
        target("haproxy", "anchor", [], "not installed (Debian package haproxy)"),
      ],
    },
    {
      id: "http-2w",
      title: "HTTP/1.1 keep-alive through the proxy filter, 2 workers",
      workers: 2,
      pinning: { pinned: false, shared: true, proxy: "0,1", load: "0,1", note: "not pinned apart: 2 workers" },
      load: "wrk -t1 -c64",
      loadNote: null,
      upstream: "nginx",
      unit: "req/s",
      ratios: ["nginx", "http-proxy"],
      cpuPerRequest: true,
      targets: [
        target("direct", "reference", [row(1, 1000)]),
        target("isthmus-node", "isthmus", [proxyRow(1, 400)]),
        target("nginx", "anchor", [proxyRow(1, 800)]),
        target("http-proxy", "baseline", [proxyRow(1, 100)]),
      ],
      goals: [{ text: "isthmus-node at least 0.7x nginx per core", value: "0.50x", met: false }],
    },
  ],
  churn: null,
  idle: null,
  loadavgAtEnd: [1, 1, 1],
  elapsedSeconds: 12,
};

describe("reports", () => {
  it("Markdown gives medians with the range, names missing tools and failed rounds", () => {
    const md = markdownReport(report);
    assert.match(md, /\| direct \(reference\) \| 1,100 \(1,000-1,200\) \|/);
    assert.match(md, /\| isthmus-deno \| 600 \(500-700\) \| 50% \| 1,200 \|/);
    assert.match(md, /node 19\.5 \+ deno 39\.1/);
    assert.match(md, /1\/3 rounds failed: died/);
    assert.match(md, /\| haproxy \(anchor\) \| not installed \(Debian package haproxy\) \|/);
  });

  it("Markdown gives each HTTP section its placement, ratio columns and targets", () => {
    const md = markdownReport(report);
    const http = md.slice(md.indexOf("HTTP/1.1 keep-alive through the proxy filter, 2 workers"));
    assert.match(http, /- pinning: not pinned apart: 2 workers/);
    assert.match(http, /\| x direct \| x nginx per core \| x http-proxy per core \|/);
    // isthmus-node: 800 per core against nginx's 1,600 and http-proxy's 200.
    assert.match(http, /\| isthmus-node \| 400 \| 50% \| 800 \| 2\.00 \| \+0\.00 \| 0\.40 \| 0\.50 \| 4\.00 \|/);
    assert.match(http, /- isthmus-node at least 0\.7x nginx per core: 0\.50x, NOT met/);
    assert.match(http, /\| x http-proxy per core \| proxy µs\/req user \+ sys \|/);
    assert.match(http, /\| 0\.50 \| 4\.00 \| 30\.0 \+ 20\.0 \|/);
    assert.doesNotMatch(md.slice(0, md.indexOf("HTTP/1.1")), /x nginx per core/);
  });

  it("HTML has inline SVG charts and no external reference", () => {
    const html = htmlReport(report);
    assert.match(html, /^<!doctype html>/);
    assert.ok((html.match(/<svg /g) ?? []).length >= 8);
    assert.match(html, /NOT met/);
    assert.match(html, /proxy CPU per request, µs \(user, then sys\)/);
    assert.doesNotMatch(html, /<script|<link|src=|href=|url\(/i);
    assert.doesNotMatch(html, /NaN|undefined/);
    assert.match(html, /isthmus L4 benchmark &lt;test&gt;/);
  });

  it("charts skip targets without a value and say so", () => {
    const svg = barChart({
      title: "t",
      unit: "x",
      rows: [{ label: "a", color: "#000", value: 5, range: [4, 6], points: [4, 5, 6] }, {
        label: "b",
        color: "#000",
        value: null,
        range: null,
        points: [],
      }],
    });
    assert.match(svg, /not shown: b/);
    assert.equal((svg.match(/<circle /g) ?? []).length, 3);
  });

  it("escapes HTML and picks 1-2-5 tick steps", () => {
    assert.equal(esc(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    assert.equal(niceStep(100), 20);
    assert.equal(niceStep(7), 2);
    assert.equal(niceStep(60_000), 20_000);
  });
});
