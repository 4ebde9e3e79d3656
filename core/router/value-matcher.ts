/**
 * How a header or query parameter value is compared: exactly and case-sensitively (MOSN's
 * StringMatch), by a pattern found anywhere in the value (Go's MatchString, as MOSN), or, with
 * neither, by presence alone.
 */
export class ValueMatcher {
  private constructor(
    readonly exact: string | undefined,
    readonly pattern: RegExp | undefined,
  ) {
    Object.freeze(this);
  }

  static exact(value: string): ValueMatcher {
    return new ValueMatcher(value, undefined);
  }

  static regex(pattern: RegExp): ValueMatcher {
    return new ValueMatcher(undefined, pattern);
  }

  /** Matches any value, as long as there is one. */
  static present(): ValueMatcher {
    return new ValueMatcher(undefined, undefined);
  }

  matches(value: string): boolean {
    if (this.exact !== undefined) return value === this.exact;
    if (this.pattern !== undefined) return this.pattern.test(value);
    return true;
  }
}
