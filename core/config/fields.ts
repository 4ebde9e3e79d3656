import { ConfigError } from "../errors.ts";
import { ConfigContext, fieldPath, indexPath } from "./context.ts";
import { parseGoDuration, timeoutProblem } from "./duration.ts";
import { closestMatch, describeValue, normalizeKey } from "./keys.ts";

/** A key MOSN reads that we do not act on yet. */
export interface MosnOnlyField {
  readonly key: string;
  /**
   * Returns why ignoring this value would be unsafe (TLS switched on, say), turning the warning
   * into an error; undefined when ignoring it is fine.
   */
  readonly refuse?: (value: unknown) => string | undefined;
}

/** The keys one kind of config object may carry, spelled as MOSN's json tags spell them. */
export interface ObjectSchema {
  /** Keys we act on. */
  readonly fields: readonly string[];
  /** Keys MOSN knows and we ignore for now, with a warning. */
  readonly mosnOnly?: readonly (string | MosnOnlyField)[];
}

interface CompiledSchema {
  readonly byNormalized: ReadonlyMap<string, { readonly key: string; readonly mosnOnly?: MosnOnlyField }>;
  readonly ours: ReadonlySet<string>;
  readonly all: readonly string[];
}

const compiled = new WeakMap<ObjectSchema, CompiledSchema>();

function compile(schema: ObjectSchema): CompiledSchema {
  let c = compiled.get(schema);
  if (c !== undefined) return c;
  const byNormalized = new Map<string, { key: string; mosnOnly?: MosnOnlyField }>();
  for (const key of schema.fields) byNormalized.set(normalizeKey(key), { key });
  for (const entry of schema.mosnOnly ?? []) {
    const field = typeof entry === "string" ? { key: entry } : entry;
    byNormalized.set(normalizeKey(field.key), { key: field.key, mosnOnly: field });
  }
  const all = [...schema.fields, ...(schema.mosnOnly ?? []).map((e) => (typeof e === "string" ? e : e.key))];
  c = { byNormalized, ours: new Set(schema.fields), all };
  compiled.set(schema, c);
  return c;
}

/**
 * Go's zero values. MOSN's fields are `omitempty` and Go cannot tell an absent field from a zero
 * one, so a zero value asks MOSN for its default behaviour, which is what we do: nothing to warn.
 */
function isZeroValue(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `raw` as a config object of the given schema. Keys match as MOSN's Go decoder matches
 * them (see keys.ts). An unknown key that is a near miss of a known one is an error with a "did
 * you mean"; any other unknown key is ignored, as Go's decoder ignores it, with a warning in
 * `ctx`. A field given in two spellings takes the last one, as Go's decoder assigns each in
 * turn (golang/go#24415), with a warning. A MOSN-only key with a non-zero value adds a warning.
 */
export function readObject(raw: unknown, path: string, ctx: ConfigContext, schema: ObjectSchema): Fields {
  if (!isPlainObject(raw)) throw new ConfigError(path, `expected an object, got ${describeValue(raw)}`);
  const c = compile(schema);
  const given = new Map<
    string,
    { readonly mosnOnly?: MosnOnlyField; readonly written: string; readonly value: unknown }
  >();
  for (const written of Object.keys(raw)) {
    const entry = c.byNormalized.get(normalizeKey(written));
    if (entry === undefined) {
      const hint = closestMatch(written, c.all);
      if (hint !== undefined) throw new ConfigError(fieldPath(path, written), `unknown field, did you mean ${hint}?`);
      ctx.warn(fieldPath(path, written), "unknown field, ignored");
      continue;
    }
    const earlier = given.get(entry.key);
    if (earlier !== undefined) {
      ctx.warn(
        fieldPath(path, entry.key),
        `given twice, as ${JSON.stringify(earlier.written)} and ${JSON.stringify(written)}; the last one is used`,
      );
    }
    given.set(entry.key, { mosnOnly: entry.mosnOnly, written, value: raw[written] });
  }
  const values = new Map<string, unknown>();
  for (const [key, { mosnOnly, value }] of given) {
    if (mosnOnly === undefined) {
      // Go's decoder leaves a field untouched on null, so null reads as absent.
      if (value !== null && value !== undefined) values.set(key, value);
      continue;
    }
    const refusal = mosnOnly.refuse?.(value);
    if (refusal !== undefined) throw new ConfigError(fieldPath(path, key), refusal);
    if (!isZeroValue(value)) ctx.warn(fieldPath(path, key), "MOSN field not supported yet, ignored");
  }
  return new Fields(path, ctx, c.ours, values);
}

/** One listed item and the path that names it. */
export interface Item {
  readonly value: unknown;
  readonly path: string;
}

/** Typed access to the fields we act on; each getter's error names the field's path. */
export class Fields {
  readonly path: string;
  readonly ctx: ConfigContext;
  private readonly ours: ReadonlySet<string>;
  private readonly values: ReadonlyMap<string, unknown>;

  constructor(path: string, ctx: ConfigContext, ours: ReadonlySet<string>, values: ReadonlyMap<string, unknown>) {
    this.path = path;
    this.ctx = ctx;
    this.ours = ours;
    this.values = values;
  }

  /** The path of `key` inside this object. */
  pathOf(key: string): string {
    return fieldPath(this.path, key);
  }

  /** Whether `key` was given (null counts as not given). */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The raw value of `key`, undefined when absent. */
  get(key: string): unknown {
    // A key outside the schema here is a bug in the reader, not in the user's file.
    if (!this.ours.has(key)) throw new Error(`config reader asked for undeclared field ${key}`);
    return this.values.get(key);
  }

  /** Throws a ConfigError about `key`. */
  fail(key: string, message: string): never {
    throw new ConfigError(this.pathOf(key), message);
  }

  /** A string, or undefined when absent. */
  optionalString(key: string): string | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== "string") this.fail(key, `expected a string, got ${describeValue(value)}`);
    return value;
  }

  /** A string, or `fallback` when absent. */
  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  /** A non-empty string; absent or "" is an error. */
  requiredString(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined || value === "") this.fail(key, "required field is missing");
    return value;
  }

  /** A boolean, or `fallback` when absent. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.get(key);
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") this.fail(key, `expected true or false, got ${describeValue(value)}`);
    return value;
  }

  /** An integer in [min, max], or `fallback` when absent. */
  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.get(key);
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.fail(key, `expected an integer ${min}-${max}, got ${describeValue(value)}`);
    }
    return value;
  }

  /**
   * A duration in milliseconds, or `fallbackMs` when absent. Accepts what MOSN's DurationConfig
   * accepts: a Go duration string, or the bare number 0 (its UnmarshalJSON strips the quotes and
   * hands the text to time.ParseDuration, which takes "0" but no other unitless number). Go
   * takes up to 292 years; here it must fit a timer (MAX_TIMER_MS) and not be negative.
   */
  duration(key: string, fallbackMs: number): number {
    const value = this.get(key);
    if (value === undefined) return fallbackMs;
    let ms: number | string;
    if (value === 0) ms = 0;
    else if (typeof value === "string") ms = parseGoDuration(value);
    else ms = `expected a duration string such as "500ms" or "1m30s", got ${describeValue(value)}`;
    if (typeof ms === "string") this.fail(key, ms);
    const problem = timeoutProblem(ms, value);
    if (problem !== undefined) this.fail(key, problem);
    return ms;
  }

  /** The items of a list with their paths; absent is an empty list. */
  list(key: string): Item[] {
    const value = this.get(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(key, `expected a list, got ${describeValue(value)}`);
    const base = this.pathOf(key);
    return value.map((item, i) => ({ value: item, path: indexPath(base, i) }));
  }

  /** A nested object of `schema`; absent reads as an empty object, so defaults apply. */
  object(key: string, schema: ObjectSchema): Fields {
    return readObject(this.get(key) ?? {}, this.pathOf(key), this.ctx, schema);
  }
}
