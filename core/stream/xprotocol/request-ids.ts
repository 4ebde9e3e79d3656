/**
 * Request ids for one upstream connection: counting up from 1, wrapping after `max` back to 1
 * (0 is never used: some clients take it for "no id"), and skipping ids still in flight, so two
 * concurrent streams never share one however long the connection lives (mosn/mosn#2403 is what
 * a counter wider than its field does). The caller keeps in-flight streams far below `max`.
 */
export class RequestIds {
  private last: number;

  constructor(private readonly max: number, start = 0) {
    this.last = start;
  }

  next(inUse: (id: number) => boolean): number {
    for (;;) {
      this.last = this.last >= this.max ? 1 : this.last + 1;
      if (!inUse(this.last)) return this.last;
    }
  }
}
