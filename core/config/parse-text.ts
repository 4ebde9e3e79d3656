import { ConfigError } from "../errors.ts";
import { findJsonSyntaxProblem } from "./json-syntax.ts";
import { parseMosnYaml } from "./parse-yaml.ts";

/** A config file's parsed value and warnings about what the parser read differently or ignored. */
export interface ParsedText {
  readonly value: unknown;
  readonly warnings: readonly string[];
}

/** Whether `text` should be read as JSON: a `.json` file, or any file whose text opens with `{`. */
export function isJsonText(text: string, filename: string): boolean {
  return filename.toLowerCase().endsWith(".json") || text.trimStart().startsWith("{");
}

/**
 * Parses a config file's text as JSON or YAML (see isJsonText; YAML as MOSN reads it, see
 * parse-yaml.ts). A syntax error is a ConfigError with an empty path whose message gives the
 * line and column but not the file: whoever reports it names the file, once.
 */
export function parseConfigText(text: string, filename: string): ParsedText {
  // Editors on Windows like to save a byte-order mark, which neither parser wants.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return isJsonText(body, filename) ? { value: parseJson(body), warnings: [] } : parseMosnYaml(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const problem = findJsonSyntaxProblem(text);
    if (problem === undefined) throw new ConfigError("", `JSON syntax error: ${(e as Error).message}`);
    throw new ConfigError(
      "",
      `JSON syntax error: ${problem.message} at line ${problem.line}, column ${problem.column}`,
    );
  }
}
