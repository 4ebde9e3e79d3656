import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { assert, describe, it } from "../../test/support/test-api.ts";
import { PARENT_POLL_MS, watchParent } from "./parent-watch.ts";

describe("watchParent", () => {
  it("reports the old parent once, at the first poll after the parent pid changed", () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    let ppid = 300;
    const gone: number[] = [];
    watchParent(() => ppid, rt, (pid) => gone.push(pid));
    clock.advance(PARENT_POLL_MS * 5);
    assert.deepEqual(gone, []);
    ppid = 1; // re-parented to init
    clock.advance(PARENT_POLL_MS - 1);
    assert.deepEqual(gone, []);
    clock.advance(1);
    assert.deepEqual(gone, [300]);
    ppid = 77;
    clock.advance(PARENT_POLL_MS * 5);
    assert.deepEqual(gone, [300]);
  });

  it("watches nothing when the parent is init or the process is PID 1", () => {
    for (const first of [0, 1]) {
      const clock = new ManualClock();
      let reads = 0;
      watchParent(() => (reads++, first), new MemoryRuntime({ clock }), () => assert.fail("no parent to lose"));
      clock.advance(PARENT_POLL_MS * 3);
      assert.equal(reads, 1);
    }
  });

  it("stops polling when cancelled", () => {
    const clock = new ManualClock();
    let ppid = 300;
    const cancel = watchParent(() => ppid, new MemoryRuntime({ clock }), () => assert.fail("cancelled"));
    clock.advance(PARENT_POLL_MS);
    cancel();
    ppid = 1;
    clock.advance(PARENT_POLL_MS * 3);
  });
});
