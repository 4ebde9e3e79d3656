import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type ScalarTag,
  type Tags,
} from "yaml";
import { ConfigError } from "../errors.ts";
import { fieldPath, indexPath } from "./context.ts";
import { GO_YAML_NUMBER_START, resolveGoYamlNumber } from "./go-yaml-number.ts";

/** A YAML config's value and the warnings about what was read differently or ignored. */
export interface ParsedYaml {
  readonly value: unknown;
  readonly warnings: string[];
}

const YAML_TAG = "tag:yaml.org,2002:";

// Tags of the `yaml` package's YAML 1.1 schema that resolve as yaml.v2 does (its null and bool
// spellings are yaml.v2's: yes/no/on/off/y/n in three casings). Its int, float and timestamp
// tags are replaced by GO_NUMBER; !!binary, !!omap, !!pairs and !!set are dropped.
const KEPT_TAGS = new Set(["map", "seq", "str", "null", "bool", "merge"].map((t) => YAML_TAG + t));

const GO_NUMBER: ScalarTag = {
  tag: `${YAML_TAG}int`,
  default: true,
  identify: (value) => typeof value === "number",
  test: GO_YAML_NUMBER_START,
  resolve: (text) => resolveGoYamlNumber(text),
};

// yaml.v2 only refuses a document whose aliases make up most of what it decodes; the `yaml`
// package's default of 100 would refuse a config that merges one anchor into 101 listeners.
// Aliased values are shared, not copied, so this bounds the work of reading, not memory.
const MAX_ALIAS_COUNT = 10_000;

/**
 * Parses YAML as MOSN v0.26 does (ghodss/yaml over gopkg.in/yaml.v2): YAML 1.1 booleans and
 * numbers as go-yaml-number.ts describes, `<<` merge keys (a mapping, an alias of one, or a list
 * of them; earlier ones win), only the first document (a trailing `---` is fine; a document
 * after it is ignored with a warning), and a key given twice in one mapping keeps the last value
 * with a warning. A syntax error is a ConfigError with an empty path naming the line and column;
 * the caller names the file.
 */
export function parseMosnYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: "1.1",
    schema: "yaml-1.1",
    customTags: (tags: Tags) => [...tags.filter((t) => typeof t === "object" && KEPT_TAGS.has(t.tag)), GO_NUMBER],
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: "error",
    lineCounter: lines,
  });
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `at line ${line}, column ${col}`;
  };
  const doc = docs[0];
  if (doc === undefined) return { value: null, warnings: [] };
  const error = doc.errors[0];
  if (error !== undefined) throw new ConfigError("", `YAML syntax error: ${error.message} ${at(error.pos[0])}`);
  const warnings = doc.warnings.map((w) => `YAML: ${w.message} ${at(w.pos[0])}`);
  new Checker(doc, lines, warnings).node(doc.contents, "");
  const ignored = docs.slice(1).find((d) =>
    d.errors.length > 0 || !(d.contents === null || (isScalar(d.contents) && d.contents.value === null))
  );
  if (ignored !== undefined) {
    warnings.push(`YAML document ${at(ignored.range[0])} ignored: MOSN reads only the first document of a file`);
  }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), warnings };
  } catch (e) {
    throw new ConfigError("", `YAML error: ${(e as Error).message}`);
  }
}

/**
 * What yaml.v2 refuses and the `yaml` package would let through or report without a position
 * (an unknown anchor, a merge of something other than mappings, a list or mapping as a key),
 * and keys given twice, where yaml.v2 lets the last one win.
 */
class Checker {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly warnings: string[],
  ) {}

  node(node: unknown, path: string): void {
    if (isAlias(node)) {
      if (node.resolve(this.doc) === undefined) {
        this.fail(node, `unknown anchor ${JSON.stringify(node.source)} referenced`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => this.node(item, indexPath(path, i)));
    } else if (isMap(node)) {
      const firstLine = new Map<string, number>();
      for (const { key, value } of node.items) {
        const keyNode = isAlias(key) ? key.resolve(this.doc) : key;
        if (!isScalar(keyNode)) this.fail(key, "a mapping key must be a plain value, not a list or mapping");
        if (typeof keyNode.value === "symbol") {
          this.merge(key, value, path, firstLine);
          continue;
        }
        const name = String(keyNode.value);
        const line = this.lineOf(key);
        const earlier = firstLine.get(name);
        if (earlier !== undefined) {
          this.warnings.push(
            `${
              fieldPath(path, name)
            }: given twice in one mapping (lines ${earlier} and ${line}); the last one is used, as MOSN does`,
          );
        } else {
          firstLine.set(name, line);
        }
        this.node(value, fieldPath(path, name));
      }
    }
  }

  /**
   * yaml.v2 merges a mapping, an alias of a mapping, or a list of those (decode.go merge). It
   * assigns keys in document order, so a merged value replaces a key written before the `<<`;
   * the `yaml` package keeps the written one, as the YAML merge spec says. That rare case gets
   * a warning rather than MOSN's reading. `before` holds the keys already written, by line.
   */
  private merge(key: unknown, value: unknown, path: string, before: ReadonlyMap<string, number>): void {
    for (const item of isSeq(value) ? value.items : [value]) {
      this.node(item, path);
      const source = isAlias(item) ? item.resolve(this.doc) : item;
      if (!isMap(source)) this.fail(key, "a merge key (<<) needs a mapping, an alias of one, or a list of them");
      for (const pair of source.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const line = before.get(name);
        if (line === undefined) continue;
        this.warnings.push(
          `${fieldPath(path, name)}: written on line ${line}, before the merge key (<<) on line ${
            this.lineOf(key)
          } that also sets it; ` +
            "the written value is used, where MOSN would take the merged one (put << first)",
        );
      }
    }
  }

  private lineOf(node: unknown): number {
    return this.lines.linePos(offsetOf(node)).line;
  }

  private fail(node: unknown, message: string): never {
    const { line, col } = this.lines.linePos(offsetOf(node));
    throw new ConfigError("", `YAML error: ${message} at line ${line}, column ${col}`);
  }
}

/** Where a parsed node starts; every node the parser made has a range. */
function offsetOf(node: unknown): number {
  return (node as { range?: readonly number[] } | null)?.range?.[0] ?? 0;
}
