import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { assert, describe, it } from "../../test/support/test-api.ts";
import { KILL_GRACE_MS, type RestartBudget, Supervisor, type WorkerProcess } from "./supervisor.ts";

/** A worker process that only records the signals it gets; the test decides when it exits. */
class FakeWorker implements WorkerProcess {
  readonly signals: string[] = [];
  exited = false;
  constructor(readonly pid: number, private readonly onExit: (code: number | null, signal: string | null) => void) {}
  kill(signal: string): void {
    // As Deno's ChildProcess.kill: the Supervisor must never signal a worker it saw exit.
    if (this.exited) throw new Error("Child process has already terminated");
    this.signals.push(signal);
  }
  exit(code: number | null, signal: string | null = null): void {
    this.exited = true;
    this.onExit(code, signal);
  }
}

function setUp(opts: { workers?: number; drainTimeoutMs?: number; budget?: RestartBudget } = {}) {
  const clock = new ManualClock();
  const spawned: FakeWorker[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const stopped: number[] = [];
  const supervisor = new Supervisor({
    workers: opts.workers ?? 2,
    spawn: (onExit) => {
      const w = new FakeWorker(100 + spawned.length, onExit);
      spawned.push(w);
      return w;
    },
    timers: new MemoryRuntime({ clock }),
    drainTimeoutMs: opts.drainTimeoutMs ?? 10_000,
    budget: opts.budget,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    onStopped: (code) => stopped.push(code),
  });
  supervisor.start();
  const live = () => spawned.filter((w) => !w.exited);
  return { clock, spawned, out, err, stopped, supervisor, live };
}

describe("Supervisor", () => {
  it("starts N workers and replaces one that dies, logging how it died", () => {
    const t = setUp({ workers: 3 });
    assert.equal(t.spawned.length, 3);
    t.spawned[1]!.exit(1);
    t.spawned[0]!.exit(null, "SIGKILL");
    assert.equal(t.spawned.length, 5);
    assert.deepEqual(t.supervisor.pids.sort(), [102, 103, 104]);
    assert.deepEqual(t.err, [
      "isthmus: worker 2 (pid 101) exited with code 1; starting a new one",
      "isthmus: worker 1 (pid 100) was killed by SIGKILL; starting a new one",
    ]);
    assert.deepEqual(t.stopped, []);
  });

  it("a worker that exits with 0 on its own is replaced too", () => {
    const t = setUp({ workers: 1 });
    t.spawned[0]!.exit(0);
    assert.equal(t.live().length, 1);
  });

  it("gives up when workers die too often, stopping the others with a drain, and exits 1", () => {
    const t = setUp({ workers: 2, budget: { maxDeaths: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      t.live()[0]!.exit(1);
    }
    assert.equal(t.live().length, 2);
    t.live()[0]!.exit(1); // the fourth death within the window
    assert.match(t.err.at(-1)!, /workers died 4 times within 60s: giving up/);
    const survivor = t.live();
    assert.equal(survivor.length, 1);
    assert.deepEqual(survivor[0]!.signals, ["SIGTERM"]);
    assert.equal(t.spawned.length, 5);
    survivor[0]!.exit(0);
    assert.deepEqual(t.stopped, [1]);
    assert.equal(t.out.at(-1), "isthmus: stopped");
  });

  it("deaths further apart than the window never exhaust the budget", () => {
    const t = setUp({ workers: 1, budget: { maxDeaths: 2, windowMs: 10_000 } });
    for (let i = 0; i < 10; i++) {
      t.clock.advance(6000);
      t.live()[0]!.exit(1);
    }
    assert.equal(t.live().length, 1);
    assert.deepEqual(t.stopped, []);
  });

  it("a worker crashing at start-up stops the proxy after the budget, instead of looping", () => {
    const t = setUp({ workers: 4 });
    for (let i = 0; i < 20 && t.stopped.length === 0; i++) {
      const w = t.live()[0];
      if (!w) break;
      w.exit(1);
      for (const s of t.live()) if (s.signals.length > 0) s.exit(0);
    }
    assert.deepEqual(t.stopped, [1]);
    assert.equal(t.spawned.length, 9); // 4, then 5 replacements; the sixth death gives up
  });

  it("a drain sends SIGTERM once to each worker, replaces nobody, and exits 0 when the last exits", () => {
    const t = setUp({ workers: 2 });
    t.supervisor.step("drain", "SIGTERM");
    t.supervisor.step("drain", "parent process 7 exited");
    assert.deepEqual(t.spawned.map((w) => w.signals), [["SIGTERM"], ["SIGTERM"]]);
    assert.deepEqual(t.out, ["isthmus: SIGTERM: stopping 2 workers"]);
    t.spawned[0]!.exit(0);
    assert.equal(t.spawned.length, 2);
    assert.deepEqual(t.stopped, []);
    t.spawned[1]!.exit(0);
    assert.deepEqual(t.stopped, [0]);
    assert.equal(t.out.at(-1), "isthmus: stopped");
  });

  it("a stop now during the drain sends SIGINT to the workers still running, not to those gone", () => {
    const t = setUp({ workers: 2 });
    t.supervisor.step("drain", "SIGTERM");
    t.spawned[0]!.exit(0);
    t.supervisor.step("now", "SIGTERM again");
    assert.deepEqual(t.spawned[1]!.signals, ["SIGTERM", "SIGINT"]);
    assert.deepEqual(t.spawned[0]!.signals, ["SIGTERM"]);
    t.spawned[1]!.exit(0);
    assert.deepEqual(t.stopped, [0]);
  });

  it("kills workers still running past their drain period and exits 1", () => {
    const t = setUp({ workers: 2, drainTimeoutMs: 10_000 });
    t.supervisor.step("drain", "SIGTERM");
    t.spawned[0]!.exit(0);
    t.clock.advance(10_000 + KILL_GRACE_MS - 1);
    assert.deepEqual(t.spawned[1]!.signals, ["SIGTERM"]);
    t.clock.advance(1);
    assert.deepEqual(t.spawned[1]!.signals, ["SIGTERM", "SIGKILL"]);
    assert.match(t.err.at(-1)!, /1 worker still running 15s after the stop: killing/);
    t.spawned[1]!.exit(null, "SIGKILL");
    assert.deepEqual(t.stopped, [1]);
  });

  it("after a stop now, workers get only the grace period", () => {
    const t = setUp({ workers: 1, drainTimeoutMs: 60_000 });
    t.supervisor.step("now", "SIGINT");
    t.clock.advance(KILL_GRACE_MS);
    assert.deepEqual(t.spawned[0]!.signals, ["SIGINT", "SIGKILL"]);
  });

  it("a worker that cannot be spawned counts as a death", () => {
    let calls = 0;
    const stopped: number[] = [];
    const err: string[] = [];
    const s = new Supervisor({
      workers: 1,
      spawn: () => {
        calls++;
        throw new Error("ENOENT");
      },
      timers: new MemoryRuntime({ clock: new ManualClock() }),
      drainTimeoutMs: 1000,
      budget: { maxDeaths: 2, windowMs: 1000 },
      out: () => {},
      err: (l) => err.push(l),
      onStopped: (code) => stopped.push(code),
    });
    s.start();
    assert.equal(calls, 3);
    assert.deepEqual(stopped, [1]);
    assert.match(err[0]!, /cannot start worker 1: ENOENT/);
  });
});
