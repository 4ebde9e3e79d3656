/**
 * A route's `prefix`, `path` or `regex` match on the request path. Matchers receive the whole
 * `:path` and the index where its query string starts (its length when there is none), and
 * match on the path before the `?`, as MOSN (its path variable) and Envoy do. The path is matched
 * as the client sent it: percent-escapes are not decoded and dot segments not resolved (MOSN's
 * HTTP/1 matches on fasthttp's decoded, cleaned path; see the README).
 */
export interface PathMatcher {
  readonly kind: "prefix" | "path" | "regex";
  /** The configured prefix, path or pattern, for logs. */
  readonly text: string;
  matches(path: string, pathEnd: number): boolean;
}

/** `prefix`: the path starts with it, case-sensitively (MOSN's strings.HasPrefix). */
export class PrefixMatcher implements PathMatcher {
  readonly kind = "prefix";
  constructor(readonly text: string) {
    Object.freeze(this);
  }

  matches(path: string, pathEnd: number): boolean {
    return this.text.length <= pathEnd && path.startsWith(this.text);
  }
}

/**
 * `path`: the path equals it, ignoring ASCII case, as MOSN compares it (strings.EqualFold in
 * pkg/router/http_rule.go; Envoy's default is case-sensitive).
 */
export class ExactPathMatcher implements PathMatcher {
  readonly kind = "path";
  private readonly lower: string;

  constructor(readonly text: string) {
    // ASCII only, as the request side folds.
    this.lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
    Object.freeze(this);
  }

  matches(path: string, pathEnd: number): boolean {
    const want = this.lower;
    if (pathEnd !== want.length) return false;
    for (let i = 0; i < pathEnd; i++) {
      let c = path.charCodeAt(i);
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
      if (c !== want.charCodeAt(i)) return false;
    }
    return true;
  }
}

/**
 * `regex`: the pattern (RE2 syntax, see go-regexp.ts) matches somewhere in the path, as Go's
 * MatchString does in MOSN; anchor it with `^...$` to match the whole path (Envoy's regex always
 * matches the whole path).
 */
export class RegexPathMatcher implements PathMatcher {
  readonly kind = "regex";
  constructor(
    readonly text: string,
    private readonly pattern: RegExp,
  ) {
    Object.freeze(this);
  }

  matches(path: string, pathEnd: number): boolean {
    return this.pattern.test(pathEnd === path.length ? path : path.slice(0, pathEnd));
  }
}
