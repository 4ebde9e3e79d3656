import { assert, describe, it } from "../../test/support/test-api.ts";
import { acceptLoop } from "./accept-loop.ts";
import type { DenoConn } from "./deno-types.ts";

const emfile = () => Object.assign(new Error("Too many open files (os error 24)"), { code: "EMFILE" });

describe("Deno accept loop", () => {
  it("reports failed accepts, pauses 10 ms doubling while they last, and goes on accepting", async () => {
    const conn = {} as DenoConn;
    const script: Array<() => Promise<DenoConn>> = [
      () => Promise.reject(emfile()),
      () => Promise.reject(emfile()),
      () => Promise.reject(emfile()),
      () => Promise.resolve(conn),
      () => Promise.reject(emfile()),
    ];
    let open = true;
    const accepted: DenoConn[] = [];
    const errors: unknown[] = [];
    const pauses: number[] = [];
    await acceptLoop(
      { accept: () => (script.length > 0 ? script.shift()!() : ((open = false), Promise.reject(new Error("closed")))) },
      () => open,
      (c) => accepted.push(c),
      (err) => errors.push(err),
      (ms) => (pauses.push(ms), Promise.resolve()),
    );
    assert.deepEqual(accepted, [conn]);
    assert.equal(errors.length, 4);
    assert.equal((errors[0] as { code: string }).code, "EMFILE");
    // The pause grows while accepts fail and starts over after one succeeds.
    assert.deepEqual(pauses, [10, 20, 40, 10]);
  });

  it("ends quietly when the listener is closed", async () => {
    let open = true;
    const errors: unknown[] = [];
    await acceptLoop(
      { accept: () => ((open = false), Promise.reject(new Error("listener closed"))) },
      () => open,
      () => {},
      (err) => errors.push(err),
      async () => {},
    );
    assert.equal(errors.length, 0);
  });
});
