import { assert, describe, it } from "../../../test/support/test-api.ts";
import { RequestIds } from "./request-ids.ts";

const free = () => false;

describe("RequestIds", () => {
  it("counts up from 1, or from after the start given", () => {
    const ids = new RequestIds(100);
    assert.deepEqual([ids.next(free), ids.next(free), ids.next(free)], [1, 2, 3]);
    const later = new RequestIds(100, 40);
    assert.equal(later.next(free), 41);
  });

  it("wraps after max back to 1, never 0", () => {
    const ids = new RequestIds(3);
    const got = Array.from({ length: 8 }, () => ids.next(free));
    assert.deepEqual(got, [1, 2, 3, 1, 2, 3, 1, 2]);
    assert.equal(new RequestIds(3, 3).next(free), 1);
    // A start past max (a codec with a smaller field) wraps too.
    assert.equal(new RequestIds(3, 10).next(free), 1);
  });

  it("skips ids in use, across the wrap", () => {
    const inUse = new Set([2, 3, 5]);
    const ids = new RequestIds(5);
    const got = Array.from({ length: 5 }, () => ids.next((id) => inUse.has(id)));
    assert.deepEqual(got, [1, 4, 1, 4, 1]);
    // What a connection does: each id handed out is in use until released.
    const live = new Set<number>();
    const conn = new RequestIds(4);
    const take = () => {
      const id = conn.next((i) => live.has(i));
      assert.ok(!live.has(id) && id >= 1 && id <= 4, `id ${id}`);
      live.add(id);
      return id;
    };
    assert.deepEqual([take(), take(), take()], [1, 2, 3]);
    live.delete(2);
    assert.deepEqual([take(), take()], [4, 2]); // 4, then past max to 1 (busy), 2 (free)
    live.delete(1);
    assert.equal(take(), 1);
  });

  it("Bolt's full 32-bit range wraps at 2^32 - 1", () => {
    const ids = new RequestIds(0xffffffff, 0xfffffffe);
    assert.deepEqual([ids.next(free), ids.next(free)], [0xffffffff, 1]);
  });
});
