/**
 * The headers of one message, protocol-neutral: HTTP/1 and HTTP/2 fields, RPC header maps, and
 * the pseudo-keys codecs fill in (`:method`, `:path`, `:authority`, `:status`, ...). Order is
 * kept and repeated names stay separate entries (`set-cookie` must never be joined).
 *
 * Names are looked up in lower case; callers pass lower-case names. Each entry also keeps the
 * spelling it arrived with, so an HTTP/1 hop forwards `X-Request-ID` as it was written (old
 * servers care); entries added by the proxy are written as given.
 */
export class HeaderMap {
  private names: string[] = [];
  private spellings: string[] = [];
  private values: string[] = [];

  /** Entries, counting repeats. */
  get size(): number {
    return this.names.length;
  }

  /**
   * Appends an entry. `name` may be in any case: it is matched in lower case and written as
   * given.
   */
  add(name: string, value: string): void {
    this.names.push(name.toLowerCase());
    this.spellings.push(name);
    this.values.push(value);
  }

  /** The first value of `name` (lower case), or undefined. */
  get(name: string): string | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  /** Every value of `name` (lower case), in order. */
  getAll(name: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.names[i] === name) out.push(this.values[i]!);
    return out;
  }

  has(name: string): boolean {
    return this.names.indexOf(name) >= 0;
  }

  /** Replaces every entry of `name` with one, at the first one's place (or the end). */
  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    const i = this.names.indexOf(lower);
    if (i < 0) {
      this.add(name, value);
      return;
    }
    this.values[i] = value;
    this.removeFrom(lower, i + 1);
  }

  /** Removes every entry of `name` (lower case); returns whether there was one. */
  delete(name: string): boolean {
    const i = this.names.indexOf(name);
    if (i < 0) return false;
    this.removeFrom(name, i);
    return true;
  }

  /** Calls `fn` for each entry in order, with the lower-case name and the spelling it came with. */
  forEach(fn: (name: string, value: string, spelling: string) => void): void {
    for (let i = 0; i < this.names.length; i++) fn(this.names[i]!, this.values[i]!, this.spellings[i]!);
  }

  /** The i-th entry's lower-case name (0 <= i < size): for hot loops that would rather not take a closure. */
  nameAt(i: number): string {
    return this.names[i]!;
  }

  /** The i-th entry's name as it arrived or was added. */
  spellingAt(i: number): string {
    return this.spellings[i]!;
  }

  valueAt(i: number): string {
    return this.values[i]!;
  }

  /** Bytes of names and values, for header-size limits. */
  byteSize(): number {
    let n = 0;
    for (let i = 0; i < this.names.length; i++) n += this.names[i]!.length + this.values[i]!.length;
    return n;
  }

  private removeFrom(lower: string, start: number): void {
    let w = start;
    for (let r = start; r < this.names.length; r++) {
      if (this.names[r] === lower) continue;
      this.names[w] = this.names[r]!;
      this.spellings[w] = this.spellings[r]!;
      this.values[w] = this.values[r]!;
      w++;
    }
    this.names.length = this.spellings.length = this.values.length = w;
  }
}
