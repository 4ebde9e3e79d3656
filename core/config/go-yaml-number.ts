/*
 * How MOSN's YAML library reads an unquoted scalar that starts like a number. MOSN turns YAML
 * into JSON with github.com/ghodss/yaml v1.0.0 over gopkg.in/yaml.v2 v2.4.0 (both vendored in
 * mosn/mosn v0.26.0); yaml.v2's resolve.go decides each plain scalar's type. This follows its
 * order for text starting with a sign, a digit or a dot:
 *   1. `.inf`, `.nan` and their spellings;
 *   2. text starting with `.`: strconv.ParseFloat on the text as written;
 *   3. otherwise, with every `_` removed: strconv.ParseInt(s, 0, 64) (Go's base prefixes 0x,
 *      0o, 0b, and a leading 0 meaning octal), then ParseUint (no sign, up to 2^64-1), then a
 *      float of the shape `[-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?`.
 * Anything else stays a string, as do timestamps (yaml.v2 hands them to an interface{} as the
 * text) and YAML 1.1's base-60 numbers (`1:30`), which yaml.v2 does not implement.
 */

const SPECIAL: ReadonlyMap<string, number> = new Map([
  ...[".nan", ".NaN", ".NAN"].map((s) => [s, NaN] as const),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((s) => [s, Infinity] as const),
  ...["-.inf", "-.Inf", "-.INF"].map((s) => [s, -Infinity] as const),
]);

/** strconv.ParseFloat's grammar for text that opens with a dot (Go allows `_` between digits). */
const DOT_FLOAT = /^\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?$/;

/** strconv.ParseInt with base 0: sign, then a base prefix or a leading 0 for octal. */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;

/** yaml.v2's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Whether a plain scalar could be a number in yaml.v2's eyes (its resolve table's hint). */
export const GO_YAML_NUMBER_START = /^[-+.0-9]/;

/**
 * The value yaml.v2 gives the plain scalar `text` (which starts with a sign, a digit or a dot):
 * a number, or `text` itself when yaml.v2 reads it as a string. A float that overflows is a
 * string there too (ParseFloat fails), so no infinity comes out but the spelled-out ones.
 */
export function resolveGoYamlNumber(text: string): number | string {
  const special = SPECIAL.get(text);
  if (special !== undefined) return special;
  if (text.startsWith(".")) return DOT_FLOAT.test(text) ? finiteOr(Number(text.replaceAll("_", "")), text) : text;
  const plain = text.replaceAll("_", "");
  const int = GO_INT.exec(plain);
  if (int !== null) {
    const sign = int[1]!;
    const digits = int[2]!;
    // BigInt reads 0x, 0o and 0b itself; Go's leading-zero octal needs the 0o spelling.
    const magnitude = BigInt(/^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits);
    const value = sign === "-" ? -magnitude : magnitude;
    // ParseInt takes int64, ParseUint (which refuses a sign) the rest of uint64.
    if ((value >= INT64_MIN && value <= INT64_MAX) || (sign === "" && value <= UINT64_MAX)) return Number(value);
  }
  return YAML_STYLE_FLOAT.test(plain) ? finiteOr(Number(plain), text) : text;
}

function finiteOr(value: number, text: string): number | string {
  return Number.isFinite(value) ? value : text;
}
