import type { HeaderMap } from "../stream/header-map.ts";
import type { ValueMatcher } from "./value-matcher.ts";

/**
 * One `match.headers[]` entry: the request must carry the header (or pseudo-key, such as
 * `:method` or `:authority`) and its first value must match, as MOSN reads one value per name.
 * `source` "path" reads the path without its query string instead of a header (MOSN's
 * `x-mosn-path` variable).
 */
export class HeaderMatcher {
  constructor(
    /** Lower case. */
    readonly name: string,
    readonly value: ValueMatcher,
    readonly source: "header" | "path" = "header",
  ) {
    Object.freeze(this);
  }

  matches(headers: HeaderMap, path: string | undefined, pathEnd: number): boolean {
    let v: string | undefined;
    if (this.source === "path") {
      v = path === undefined ? undefined : pathEnd === path.length ? path : path.slice(0, pathEnd);
    } else v = headers.get(this.name);
    return v !== undefined && this.value.matches(v);
  }
}
