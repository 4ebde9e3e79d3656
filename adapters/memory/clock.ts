interface Pending {
  at: number;
  fn: () => void;
  seq: number;
}

/** A clock that moves only when told, for deterministic timeout tests. */
export class ManualClock {
  private current = 0;
  private seq = 0;
  private pending = new Set<Pending>();

  now(): number {
    return this.current;
  }

  set(ms: number, fn: () => void): Pending {
    const p = { at: this.current + Math.max(0, ms), fn, seq: this.seq++ };
    this.pending.add(p);
    return p;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as Pending);
  }

  /** Moves time forward, firing due timers in deadline order (including ones they set). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending) {
        if (p.at <= target && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      }
      if (!next) break;
      this.pending.delete(next);
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }
}
