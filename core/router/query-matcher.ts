import type { ValueMatcher } from "./value-matcher.ts";

/**
 * One `match.query_parameters[]` entry (Envoy's; MOSN's config has no such field): the query
 * string must carry the parameter, and its value must match when a value or regex is given
 * (without either, presence is enough, as Envoy's `present_match`). The first occurrence counts.
 * Names compare as written; a value is percent-decoded before comparing when it has escapes
 * (a malformed escape leaves it as written), and `+` stays a plus.
 */
export class QueryParameterMatcher {
  constructor(
    readonly name: string,
    readonly value: ValueMatcher,
  ) {
    Object.freeze(this);
  }

  /** `path` is the whole `:path`; its query string starts after `pathEnd`. */
  matches(path: string | undefined, pathEnd: number): boolean {
    if (path === undefined) return false;
    const name = this.name;
    let start = pathEnd + 1;
    while (start <= path.length) {
      let end = path.indexOf("&", start);
      if (end < 0) end = path.length;
      // The name, then `=`, `&` or the end.
      const after = start + name.length;
      if (after <= end && path.startsWith(name, start) && (after === end || path.charCodeAt(after) === 0x3d)) {
        const raw = after === end ? "" : path.slice(after + 1, end);
        return this.value.matches(decode(raw));
      }
      start = end + 1;
    }
    return false;
  }
}

function decode(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
