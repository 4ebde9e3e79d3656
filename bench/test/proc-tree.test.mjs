// The process-tree meter on real processes: a child's CPU and RSS count in its parent's tree.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { TreeMeter, procStat, treeFds, treePids, treeRssKiB } from "../lib/proc-tree.mjs";

// A parent that starts one child which spins for 700 ms, then both idle until killed.
const PARENT = `
const { spawn } = require("node:child_process");
const c = spawn(process.execPath, ["-e", "const t = Date.now(); while (Date.now() - t < 700); setInterval(() => {}, 1000)"], { stdio: "inherit" });
console.log(c.pid);
setInterval(() => {}, 1000);
`;

describe("TreeMeter", () => {
  const parent = spawn(process.execPath, ["-e", PARENT], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  after(() => {
    try {
      process.kill(-parent.pid, "SIGKILL");
    } catch {}
  });

  it("finds the child, sums its CPU and RSS into the tree, and counts fds", async () => {
    const childPid = await new Promise((resolve, reject) => {
      parent.stdout.once("data", (d) => resolve(Number(String(d).trim())));
      setTimeout(() => reject(new Error("no child pid within 5 s")), 5000);
    });
    const meter = new TreeMeter(parent.pid);
    meter.start();
    for (let i = 0; i < 20 && treePids(parent.pid).length < 2; i++) await sleep(50);
    assert.deepEqual(treePids(parent.pid), [parent.pid, childPid]);
    await sleep(900);
    const r = meter.stop();
    const child = r.processes.find((p) => p.pid === childPid);
    assert.ok(child, "child process measured");
    assert.ok(child.cpuSeconds >= 0.2, `child CPU ${child.cpuSeconds} s`);
    assert.ok(r.cpuSeconds >= child.cpuSeconds);
    assert.ok(r.rssPeakKiB >= procStat(parent.pid).rssKiB + procStat(childPid).rssKiB * 0.5);
    assert.ok(treeRssKiB(parent.pid) > procStat(parent.pid).rssKiB);
    assert.ok(treeFds(parent.pid) >= 6, "stdin/stdout/stderr of two processes");
  });

  it("reports a gone root as empty", () => {
    assert.deepEqual(treePids(2 ** 22 + 12345), []);
    assert.equal(treeRssKiB(2 ** 22 + 12345), null);
  });
});
