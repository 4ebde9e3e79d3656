import type { HeaderMap } from "../stream/header-map.ts";

/** One `*_headers_to_add` entry. */
export interface HeaderToAdd {
  /** Lower case, for lookups. */
  readonly name: string;
  /** As configured, for the wire (HTTP/1 writes what it is given). */
  readonly spelling: string;
  readonly value: string;
  /**
   * `append` (default true, as in MOSN and Envoy): add an entry beside any the message has,
   * rather than replace them. Envoy adds an entry too; MOSN joins the value onto the first one
   * with a comma, which HTTP reads the same (RFC 9110 §5.3) except for `set-cookie`, which
   * cannot be joined.
   */
  readonly append: boolean;
}

/** The header adds and removes of one level (route, virtual host or router config). */
export class HeaderMutation {
  readonly adds: readonly HeaderToAdd[];
  /** Lower case. */
  readonly removes: readonly string[];

  constructor(adds: readonly HeaderToAdd[], removes: readonly string[]) {
    this.adds = Object.freeze(adds);
    this.removes = Object.freeze(removes);
    Object.freeze(this);
  }

  get isEmpty(): boolean {
    return this.adds.length === 0 && this.removes.length === 0;
  }

  /** Adds, then removes, as MOSN's headerParser.evaluateHeaders does. */
  apply(headers: HeaderMap): void {
    // Indexed loops: for-of over a frozen array allocates an iterator in V8.
    const adds = this.adds;
    for (let i = 0; i < adds.length; i++) {
      const a = adds[i]!;
      if (a.append) headers.add(a.spelling, a.value);
      else headers.set(a.spelling, a.value);
    }
    const removes = this.removes;
    for (let i = 0; i < removes.length; i++) headers.delete(removes[i]!);
  }
}

/** Several levels' mutations applied in order, most specific first; empty levels are dropped. */
export class HeaderMutationChain {
  private readonly levels: readonly HeaderMutation[];

  constructor(levels: readonly HeaderMutation[]) {
    this.levels = Object.freeze(levels.filter((l) => !l.isEmpty));
    Object.freeze(this);
  }

  apply(headers: HeaderMap): void {
    const levels = this.levels;
    for (let i = 0; i < levels.length; i++) levels[i]!.apply(headers);
  }
}
