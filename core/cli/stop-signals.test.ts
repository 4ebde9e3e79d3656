import { assert, describe, it } from "../../test/support/test-api.ts";
import { type StopLevel, StopSignals } from "./stop-signals.ts";

function record(supervised: boolean): { signals: StopSignals; steps: string[] } {
  const steps: string[] = [];
  const signals = new StopSignals(supervised, (level: StopLevel, reason: string) => steps.push(`${level}: ${reason}`));
  return { signals, steps };
}

describe("StopSignals", () => {
  it("SIGTERM drains, a second SIGTERM stops at once, later signals do nothing", () => {
    const { signals, steps } = record(false);
    signals.signal("SIGTERM");
    assert.equal(signals.current, "drain");
    signals.signal("SIGTERM");
    signals.signal("SIGTERM");
    signals.signal("SIGINT");
    assert.deepEqual(steps, ["drain: SIGTERM", "now: SIGTERM again"]);
  });

  it("SIGINT stops at once, from running or during a drain (as MOSN)", () => {
    const a = record(false);
    a.signals.signal("SIGINT");
    a.signals.signal("SIGTERM");
    assert.deepEqual(a.steps, ["now: SIGINT"]);
    const b = record(false);
    b.signals.signal("SIGTERM");
    b.signals.signal("SIGINT");
    assert.deepEqual(b.steps, ["drain: SIGTERM", "now: SIGINT"]);
  });

  it("a supervised process counts a repeated SIGTERM once: its parent relays now as SIGINT", () => {
    const { signals, steps } = record(true);
    signals.signal("SIGTERM"); // straight from systemd's control-group kill
    signals.signal("SIGTERM"); // the same stop, relayed by the parent
    assert.deepEqual(steps, ["drain: SIGTERM"]);
    signals.signal("SIGINT");
    assert.deepEqual(steps, ["drain: SIGTERM", "now: SIGINT"]);
  });

  it("a parent that exits asks for a drain, once; a signal after it still escalates", () => {
    const { signals, steps } = record(false);
    signals.parentGone(4242);
    signals.parentGone(4242);
    assert.deepEqual(steps, ["drain: parent process 4242 exited"]);
    signals.signal("SIGTERM");
    assert.deepEqual(steps, ["drain: parent process 4242 exited", "now: SIGTERM again"]);
  });
});
