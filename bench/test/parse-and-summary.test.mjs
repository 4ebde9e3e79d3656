// Pure parts of the bench: wrk output, medians, round order, CPU lists and pinning plans.
//   node --test bench/test/
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuUsageBetween, readCpuTimes } from "../lib/cpu-stat.mjs";
import { parseWrk } from "../lib/load.mjs";
import { parseCpuList, placer, planPinning } from "../lib/pinning.mjs";
import { roundOrder } from "../lib/rounds.mjs";
import { median, summarize } from "../lib/summary.mjs";

const WRK = `Running 2s test @ http://127.0.0.1:41234/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  310.55us  12.40ms   91.23%
    Req/Sec    49.10k     2.31k   53.00k    80.00%
  Latency Distribution
     50%    0.97ms
     75%    1.10ms
     90%    1.31ms
     99%    2.05ms
  97731 requests in 2.00s, 13.79MB read
  Socket errors: connect 0, read 3, write 1, timeout 2
  Non-2xx or 3xx responses: 5
Requests/sec:  48865.50
Transfer/sec:      6.89MB
`;

describe("parseWrk", () => {
  it("reads rate, percentiles, max, totals and errors", () => {
    const r = parseWrk(WRK);
    assert.equal(r.rps, 48865.5);
    assert.equal(r.requests, 97731);
    assert.equal(r.seconds, 2);
    assert.equal(r.p50Ms, 0.97);
    assert.equal(r.p90Ms, 1.31);
    assert.equal(r.p99Ms, 2.05);
    assert.equal(r.maxMs, 12.4);
    assert.deepEqual(r.errors, { connect: 0, read: 3, write: 1, timeout: 2, status: 5 });
  });
  it("converts microseconds and seconds", () => {
    const r = parseWrk(WRK.replace("99%    2.05ms", "99%  850.00us").replace("12.40ms", "1.50s"));
    assert.equal(r.p99Ms, 0.85);
    assert.equal(r.maxMs, 1500);
  });
  it("throws with the output when there is no rate", () => {
    assert.throws(
      () => parseWrk("unable to connect to 127.0.0.1:1 Connection refused\n"),
      /cannot parse wrk output:\nunable to connect/,
    );
  });
});

describe("median and summarize", () => {
  it("takes the middle value, or the mean of the two middle ones, ignoring non-numbers", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5, null, undefined, NaN]), 5);
    assert.equal(median([]), null);
  });
  it("summarises each metric on its own over the rounds that succeeded", () => {
    const rows = [
      { ok: true, rps: 100, p99Ms: 9, errorCount: 1 },
      { ok: false, error: "boom" },
      { ok: true, rps: 300, p99Ms: 1, errorCount: 0 },
      { ok: true, rps: 200, p99Ms: 5, errorCount: 2 },
    ];
    const s = summarize(rows, ["rps", "p99Ms"]);
    assert.deepEqual(s.median, { rps: 200, p99Ms: 5 });
    assert.deepEqual(s.range, { rps: [100, 300], p99Ms: [1, 9] });
    assert.equal(s.rounds, 4);
    assert.equal(s.ok, 3);
    assert.equal(s.failed, 1);
    assert.equal(s.errorCount, 3);
    assert.equal(s.lastError, "boom");
  });
});

describe("roundOrder", () => {
  it("rotates by one per round so every target takes every slot", () => {
    const list = ["a", "b", "c"];
    assert.deepEqual(roundOrder(list, 0), ["a", "b", "c"]);
    assert.deepEqual(roundOrder(list, 1), ["b", "c", "a"]);
    assert.deepEqual(roundOrder(list, 2), ["c", "a", "b"]);
    assert.deepEqual(roundOrder(list, 3), ["a", "b", "c"]);
    assert.deepEqual(roundOrder([], 2), []);
  });
});

describe("pinning", () => {
  it("parses CPU lists", () => {
    assert.deepEqual(parseCpuList("0-2,5"), [0, 1, 2, 5]);
    assert.deepEqual(parseCpuList("1"), [1]);
    assert.throws(() => parseCpuList("a-b"), /bad CPU list/);
  });
  it("puts the proxy on the first CPU and the load on the rest", () => {
    const plan = planPinning({ cpus: [0, 1], tasksetPath: "/usr/bin/taskset", enabled: true, proxyCpus: 1 });
    assert.equal(plan.pinned, true);
    assert.equal(plan.proxy, "0");
    assert.equal(plan.load, "1");
    const place = placer(plan, "/usr/bin/taskset");
    assert.deepEqual(place("proxy", "node", ["x.mjs"]), ["/usr/bin/taskset", ["-c", "0", "node", "x.mjs"]]);
    assert.deepEqual(place("load", "wrk", ["-t1"]), ["/usr/bin/taskset", ["-c", "1", "wrk", "-t1"]]);
  });
  it("always leaves the load side at least one CPU", () => {
    const plan = planPinning({ cpus: [2, 3, 4], tasksetPath: "/t", enabled: true, proxyCpus: 5 });
    assert.equal(plan.proxy, "2,3");
    assert.equal(plan.load, "4");
  });
  it("falls back, saying why, without taskset, with one CPU or when disabled", () => {
    for (
      const [args, why] of [
        [
          { cpus: [0, 1], tasksetPath: null, enabled: true, proxyCpus: 1 },
          /taskset not installed \(Debian package util-linux\)/,
        ],
        [{ cpus: [0], tasksetPath: "/t", enabled: true, proxyCpus: 1 }, /only 1 CPU/],
        [{ cpus: [0, 1], tasksetPath: "/t", enabled: false, proxyCpus: 1 }, /BENCH_PIN=0/],
      ]
    ) {
      const plan = planPinning(args);
      assert.equal(plan.pinned, false);
      assert.match(plan.note, why);
      assert.deepEqual(placer(plan, "/t")("proxy", "node", ["a"]), ["node", ["a"]]);
    }
  });
});

describe("cpu-stat", () => {
  const before = readCpuTimes(
    "cpu  1 2 3 4\ncpu0 100 0 50 800 10 5 15 20 0 0\ncpu1 10 0 10 100 0 0 0 0 0 0\nintr 1 2\n",
  );
  const after = readCpuTimes("cpu  1 2 3 4\ncpu0 300 0 150 1400 10 5 35 100 0 0\ncpu1 20 0 20 200 0 0 0 0 0 0\n");
  it("reads per-CPU busy, interrupt, steal and total ticks, not the aggregate line", () => {
    assert.deepEqual([...before.keys()], [0, 1]);
    assert.deepEqual(before.get(0), { busy: 150, irq: 20, steal: 20, total: 1000 });
  });
  it("gives shares of the interval in cores", () => {
    // cpu0: 1000 ticks passed; 300 user+system, 20 interrupt, 80 steal.
    assert.deepEqual(cpuUsageBetween(before, after, [0]), { busy: 0.3, irq: 0.02, steal: 0.08 });
    assert.equal(cpuUsageBetween(before, after, [0, 1]).busy, 0.3 + 20 / 120);
    assert.equal(cpuUsageBetween(before, after, [7]), null);
  });
});
