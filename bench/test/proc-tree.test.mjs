// The process-tree meter on real processes: a child's CPU and RSS count in its parent's tree.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { procStat, treeFds, TreeMeter, treePids, treeRssKiB } from "../lib/proc-tree.mjs";

// A parent that starts one child; the child does a fixed amount of work, says "done" (through
// the parent's stdout), then both idle until killed.
const PARENT = `
const { spawn } = require("node:child_process");
const work = "let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; console.log('done', x > 0); setInterval(() => {}, 1000)";
const c = spawn(process.execPath, ["-e", work], { stdio: "inherit" });
console.log("child", c.pid);
setInterval(() => {}, 1000);
`;

describe("TreeMeter", () => {
  const parent = spawn(process.execPath, ["-e", PARENT], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  after(() => {
    try {
      process.kill(-parent.pid, "SIGKILL");
    } catch {
      // already gone
    }
  });

  it("finds the child, charges its CPU to it, sums RSS over the tree, and counts fds", async () => {
    let out = "";
    parent.stdout.setEncoding("utf8");
    parent.stdout.on("data", (d) => (out += d));
    const until = async (re) => {
      for (let i = 0; i < 300 && !re.test(out); i++) await sleep(50);
      return re.exec(out);
    };
    const childPid = Number((await until(/child (\d+)/))?.[1]);
    assert.ok(childPid > 0, "parent printed its child's pid");
    const meter = new TreeMeter(parent.pid);
    meter.start();
    assert.deepEqual(treePids(parent.pid), [parent.pid, childPid]);
    assert.ok(await until(/done true/), "child finished its work within 15 s");
    const r = meter.stop();
    const child = r.processes.find((p) => p.pid === childPid);
    assert.ok(child, "child process measured");
    const parentProc = r.processes.find((p) => p.pid === parent.pid);
    assert.ok(
      child.cpuSeconds > parentProc.cpuSeconds,
      `child ${child.cpuSeconds} s, parent ${parentProc.cpuSeconds} s`,
    );
    assert.equal(r.cpuSeconds, child.cpuSeconds + parentProc.cpuSeconds);
    assert.ok(r.rssPeakKiB >= procStat(parent.pid).rssKiB + procStat(childPid).rssKiB * 0.5);
    assert.ok(treeRssKiB(parent.pid) > procStat(parent.pid).rssKiB);
    assert.ok(treeFds(parent.pid) >= 6, "stdin/stdout/stderr of two processes");
  });

  it("reports a gone root as empty", () => {
    assert.deepEqual(treePids(2 ** 22 + 12345), []);
    assert.equal(treeRssKiB(2 ** 22 + 12345), null);
  });
});
