import { assert, describe, it } from "../../test/support/test-api.ts";
import { ManualClock, MemoryRuntime } from "../../adapters/memory/index.ts";
import { TimerLists } from "./timer-lists.ts";

describe("TimerLists", () => {
  it("fires each entry at its own deadline, in order, across durations", () => {
    const clock = new ManualClock();
    const timers = new TimerLists(new MemoryRuntime({ clock }));
    const fired: string[] = [];
    timers.schedule(100, () => fired.push("a@100"));
    clock.advance(30);
    timers.schedule(100, () => fired.push("b@130"));
    timers.schedule(50, () => fired.push("c@80"));
    clock.advance(49);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ["c@80"]);
    clock.advance(20);
    assert.deepEqual(fired, ["c@80", "a@100"]);
    clock.advance(29);
    assert.deepEqual(fired, ["c@80", "a@100"]);
    clock.advance(1);
    assert.deepEqual(fired, ["c@80", "a@100", "b@130"]);
  });

  it("a cancelled entry never fires, wherever it is in its list; cancelling twice is harmless", () => {
    const clock = new ManualClock();
    const timers = new TimerLists(new MemoryRuntime({ clock }));
    const fired: number[] = [];
    const entries = [0, 1, 2, 3].map((i) => {
      clock.advance(10);
      return timers.schedule(100, () => fired.push(i));
    });
    entries[0]!.cancel();
    entries[2]!.cancel();
    entries[2]!.cancel();
    clock.advance(200);
    assert.deepEqual(fired, [1, 3]);
    entries[1]!.cancel();
  });

  it("an entry scheduled from a firing callback gets its full duration; an emptied list holds no runtime timer", () => {
    const clock = new ManualClock();
    const rt = new MemoryRuntime({ clock });
    let armed = 0;
    const setTimer = rt.setTimer.bind(rt);
    rt.setTimer = (ms, fn) => (armed++, setTimer(ms, fn));
    const timers = new TimerLists(rt);
    const fired: number[] = [];
    timers.schedule(100, () => {
      fired.push(clock.now());
      timers.schedule(100, () => fired.push(clock.now()));
    });
    clock.advance(100);
    clock.advance(100);
    assert.deepEqual(fired, [100, 200]);
    const before = armed;
    const e = timers.schedule(100, () => fired.push(-1));
    e.cancel();
    clock.advance(500);
    assert.deepEqual(fired, [100, 200]);
    assert.equal(armed, before + 1, "one runtime timer for the list, cleared when it emptied");
  });
});
