import type { Runtime, TimerHandle } from "./runtime.ts";

/** A scheduled call; `cancel` it when what it guards is over. */
export interface TimerEntry {
  cancel(): void;
}

class Entry implements TimerEntry {
  prev: Entry | null = null;
  next: Entry | null = null;
  constructor(readonly deadline: number, readonly fn: () => void, readonly list: TimerList | null) {}

  cancel(): void {
    this.list?.remove(this);
  }
}

/** Every entry of one duration, in deadline order (each is added `ms` after the one before). */
class TimerList {
  private first: Entry | null = null;
  private last: Entry | null = null;
  private timer: TimerHandle | undefined;

  constructor(private readonly runtime: Runtime, readonly ms: number) {}

  add(fn: () => void): Entry {
    const e = new Entry(this.runtime.now() + this.ms, fn, this);
    if (this.last === null) {
      this.first = this.last = e;
      this.arm(this.ms);
    } else {
      e.prev = this.last;
      this.last.next = e;
      this.last = e;
    }
    return e;
  }

  remove(e: Entry): void {
    if (e.prev === null && this.first !== e) return; // already fired or removed
    if (e.prev) e.prev.next = e.next;
    else this.first = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.last = e.prev;
    e.prev = e.next = null;
    if (this.first === null && this.timer !== undefined) {
      this.runtime.clearTimer(this.timer);
      this.timer = undefined;
    }
  }

  private arm(ms: number): void {
    this.timer = this.runtime.setTimer(Math.max(0, ms), () => this.fire());
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.runtime.now();
    let e = this.first;
    while (e !== null && e.deadline <= now) {
      this.remove(e);
      e.fn();
      e = this.first;
    }
    if (this.first !== null && this.timer === undefined) this.arm(this.first.deadline - now);
  }
}

/**
 * Timers for many short-lived things with few distinct durations (every request's route
 * timeout): one list per duration, kept in deadline order because each entry is appended `ms`
 * after the previous one, with one runtime timer per list for its earliest entry. Scheduling
 * and cancelling are O(1) and make no runtime timer, which on Deno and Bun costs more than the
 * request it guards (Node's own timers work the same way, one list per duration).
 */
export class TimerLists {
  private readonly lists = new Map<number, TimerList>();

  constructor(private readonly runtime: Runtime) {}

  /** Calls `fn` after `ms` (>0), unless the entry is cancelled first. */
  schedule(ms: number, fn: () => void): TimerEntry {
    let list = this.lists.get(ms);
    if (list === undefined) {
      list = new TimerList(this.runtime, ms);
      this.lists.set(ms, list);
    }
    return list.add(fn);
  }
}
