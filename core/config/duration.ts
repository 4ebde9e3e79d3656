import { describeValue } from "./keys.ts";

/** Nanoseconds per unit, as Go's time.ParseDuration spells units (both micro signs included). */
const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ["ns", 1n],
  ["us", 1_000n],
  ["\u00b5s", 1_000n],
  ["\u03bcs", 1_000n],
  ["ms", 1_000_000n],
  ["s", 1_000_000_000n],
  ["m", 60_000_000_000n],
  ["h", 3_600_000_000_000n],
]);

/** Go's time.Duration is an int64 of nanoseconds; larger values are an error there too. */
const MAX_NS = 2n ** 63n - 1n;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

/**
 * Parses a Go duration string ("300ms", "1m30s", "1.5h", "-2us", "0") into milliseconds,
 * fractions kept. Follows time.ParseDuration's grammar, which is what MOSN's DurationConfig
 * runs on the raw JSON text; returns a string describing the problem instead of throwing.
 */
export function parseGoDuration(text: string): number | string {
  const bad = `expected a duration such as "500ms" or "1m30s", got ${JSON.stringify(text)}`;
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  // Go accepts a lone zero without a unit, and nothing else unitless.
  if (s === "0") return 0;
  if (s === "") return bad;
  // Integer nanoseconds, as Go keeps them, so "1.1s" is exactly 1100 ms rather than 1100.0000000000002.
  let totalNs = 0n;
  let i = 0;
  while (i < s.length) {
    const start = i;
    while (isDigit(s[i])) i++;
    const whole = s.slice(start, i);
    let fraction = "";
    if (s[i] === ".") {
      const fractionStart = ++i;
      while (isDigit(s[i])) i++;
      fraction = s.slice(fractionStart, i);
    }
    if (whole === "" && fraction === "") return bad;
    const unitStart = i;
    while (i < s.length && s[i] !== "." && !isDigit(s[i])) i++;
    const unit = s.slice(unitStart, i);
    if (unit === "") return `${bad}: missing unit (ns, us, ms, s, m or h)`;
    const scale = UNIT_NS.get(unit);
    if (scale === undefined) return `${bad}: unknown unit ${JSON.stringify(unit)} (ns, us, ms, s, m or h)`;
    totalNs += BigInt(whole || "0") * scale;
    if (fraction !== "") totalNs += (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    if (totalNs > MAX_NS) return `${bad}: out of range`;
  }
  return totalNs === 0n ? 0 : (sign * Number(totalNs)) / 1e6;
}

/**
 * The longest delay a timer takes, 2^31-1 ms (about 24.8 days): setTimeout keeps its delay in a
 * signed 32-bit integer, and node, deno and bun all fire a longer one after 1 ms instead.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Why `ms`, read from the config value `given`, cannot be a timeout: negative, or longer than a
 * timer can wait. Undefined when it can.
 */
export function timeoutProblem(ms: number, given: unknown): string | undefined {
  if (ms < 0) return `must not be negative, got ${describeValue(given)}`;
  if (ms > MAX_TIMER_MS) {
    return `must be at most 596h31m23.647s (2^31-1 ms, about 24.8 days: the longest a timer can wait), got ${
      describeValue(given)
    }`;
  }
  return undefined;
}
