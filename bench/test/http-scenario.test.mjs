// The HTTP/1.1 scenario's pure parts: placement with workers, settings, configs and the goals.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nginxHttpProxy } from "../lib/configs.mjs";
import { httpGoals, verdict } from "../lib/goals.mjs";
import { placer, planWorkersPinning } from "../lib/pinning.mjs";
import { httpWorkerCount, readSettings } from "../lib/settings.mjs";
import { summarize } from "../lib/summary.mjs";

describe("planWorkersPinning", () => {
  const base = { tasksetPath: "/usr/bin/taskset", enabled: true };
  it("pins N workers to N cores of their own when the load keeps one", () => {
    const plan = planWorkersPinning({ ...base, cpus: [0, 1, 2, 3], workers: 2 });
    assert.equal(plan.pinned, true);
    assert.equal(plan.proxy, "0,1");
    assert.equal(plan.load, "2,3");
  });
  it("shares every CPU when the workers need them all, and says so", () => {
    const plan = planWorkersPinning({ ...base, cpus: [0, 1], workers: 2 });
    assert.equal(plan.pinned, false);
    assert.equal(plan.shared, true);
    assert.match(plan.note, /2 proxy workers on all 2 CPUs \(0,1\), shared with the load generator/);
    // The bench itself may sit on the load side: a shared plan still places every command on all CPUs.
    assert.deepEqual(placer(plan, "/usr/bin/taskset")("load", "wrk", ["-t1"]), [
      "/usr/bin/taskset",
      ["-c", "0,1", "wrk", "-t1"],
    ]);
  });
  it("does not pin at all when pinning is off", () => {
    const plan = planWorkersPinning({ ...base, enabled: false, cpus: [0, 1], workers: 2 });
    assert.equal(plan.pinned, false);
    assert.equal(plan.shared, undefined);
    assert.deepEqual(placer(plan, "/usr/bin/taskset")("proxy", "node", []), ["node", []]);
  });
});

describe("HTTP settings", () => {
  it("runs every scenario by default and rejects unknown ones", () => {
    assert.deepEqual(readSettings({}, []).scenarios, ["l4", "http", "rpc"]);
    assert.deepEqual(readSettings({ BENCH_SCENARIOS: "http" }, []).scenarios, ["http"]);
    assert.throws(
      () => readSettings({ BENCH_SCENARIOS: "h2" }, []),
      /BENCH_SCENARIOS=h2: expected a list of l4, http, rpc/,
    );
  });
  it("takes the worker count from BENCH_HTTP_WORKERS, then BENCH_PROXY_CPUS, then every CPU", () => {
    assert.equal(httpWorkerCount(readSettings({}, []), 2), 2);
    assert.equal(httpWorkerCount(readSettings({ BENCH_PROXY_CPUS: "3" }, []), 8), 3);
    assert.equal(httpWorkerCount(readSettings({ BENCH_HTTP_WORKERS: "1", BENCH_PROXY_CPUS: "3" }, []), 8), 1);
    assert.equal(readSettings({}, []).httpConnections, 64);
  });
  it("runs a light-load run of 1 connection for 5 s (at most BENCH_DURATION) after each measured one", () => {
    assert.equal(readSettings({}, []).httpLatencyConnections, 1);
    assert.equal(readSettings({}, []).latencySeconds, 5);
    assert.equal(readSettings({ BENCH_DURATION: "3" }, []).latencySeconds, 3);
    assert.equal(readSettings({ BENCH_LATENCY_SECONDS: "0" }, []).latencySeconds, 0);
    assert.equal(readSettings({ BENCH_HTTP_LATENCY_CONNECTIONS: "2" }, []).httpLatencyConnections, 2);
    assert.equal(readSettings({ BENCH_HTTP_LATENCY_CONNECTIONS: "0" }, []).httpLatencyConnections, 1);
  });
});

describe("nginx proxy config", () => {
  it("has one worker without a master, N workers with one, and upstream keep-alive", () => {
    const one = nginxHttpProxy("/tmp/x", 8080, 9090, 1);
    assert.match(one, /master_process off;\nworker_processes 1;/);
    const two = nginxHttpProxy("/tmp/x", 8080, 9090, 2);
    assert.match(two, /master_process on;\nworker_processes 2;/);
    assert.match(two, /server 127\.0\.0\.1:9090;\n\s+keepalive 256;/);
    assert.match(two, /proxy_http_version 1\.1;\n\s+proxy_set_header Connection "";/);
    assert.match(two, /listen 127\.0\.0\.1:8080 /);
  });
});

const METRICS = ["rps", "p99Ms", "rpsPerCore"];
const t = (name, group, rps, rpsPerCore, p99Ms) => ({
  name,
  group,
  summary: summarize([{ ok: true, rps, rpsPerCore, p99Ms }], METRICS),
});

describe("httpGoals", () => {
  it("checks the fastest runtime and node against nginx and http-proxy, and p99 added", () => {
    const goals = httpGoals({
      targets: [
        t("direct", "reference", 50_000, null, 1.0),
        t("isthmus-node", "isthmus", 20_000, 21_000, 2.5),
        t("isthmus-bun", "isthmus", 30_000, 32_000, 1.8),
        t("nginx", "anchor", 40_000, 30_000, 1.2),
        t("http-proxy", "baseline", 6_000, 7_000, 9),
      ],
    });
    const byText = Object.fromEntries(goals.map((g) => [g.text, g]));
    assert.deepEqual(byText["fastest runtime (isthmus-bun) at least 1.0x nginx per core"], {
      text: "fastest runtime (isthmus-bun) at least 1.0x nginx per core",
      value: "1.07x",
      met: true,
    });
    assert.equal(byText["isthmus-node at least 0.7x nginx per core"].met, true); // 0.70x
    assert.equal(byText["isthmus-node at least 3x http-proxy per core"].value, "3.00x");
    assert.equal(byText["isthmus-node: p99 added over direct at most 1 ms"].met, false);
    assert.equal(byText["isthmus-bun: p99 added over direct at most 1 ms"].value, "+0.80 ms");
    assert.equal(verdict(byText["isthmus-bun: p99 added over direct at most 1 ms"]), "met");
  });
  it("reads p99 added from the light-load run when the section has one", () => {
    const light = (name, group, p99, latencyP99Ms) => ({
      name,
      group,
      summary: summarize([{ ok: true, rps: 1, rpsPerCore: 1, p99Ms: p99, latencyP99Ms }], [
        ...METRICS,
        "latencyP99Ms",
      ]),
    });
    const goals = httpGoals({
      latency: { connections: 1, inflight: 1, seconds: 5 },
      targets: [
        light("direct", "reference", 1.0, 0.1),
        light("isthmus-node", "isthmus", 9.0, 0.6),
        light("isthmus-deno", "isthmus", 2.0, 1.3),
      ],
    });
    const g = (n) => goals.find((x) => x.text === `${n}: p99 added over direct at most 1 ms (at 1 x 1 in flight)`);
    assert.deepEqual([g("isthmus-node").value, g("isthmus-node").met], ["+0.50 ms", true]);
    assert.deepEqual([g("isthmus-deno").value, g("isthmus-deno").met], ["+1.20 ms", false]);
  });
  it("says unknown when an anchor did not run", () => {
    const goals = httpGoals({ targets: [t("isthmus-node", "isthmus", 1, 1, 1)] });
    assert.equal(goals[0].met, null);
    assert.equal(verdict(goals[0]), "unknown");
    assert.equal(goals[0].value, "not measured");
  });
});
