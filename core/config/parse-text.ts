import YAML from "yaml";
import { ConfigError } from "../errors.ts";
import { findJsonSyntaxProblem } from "./json-syntax.ts";

/** Whether `text` should be read as JSON: a `.json` file, or any file whose text opens with `{`. */
export function isJsonText(text: string, filename: string): boolean {
  return filename.toLowerCase().endsWith(".json") || text.trimStart().startsWith("{");
}

/**
 * Parses a config file's text as JSON or YAML (see isJsonText). A syntax error is a ConfigError
 * with an empty path whose message names the file, line and column.
 */
export function parseConfigText(text: string, filename: string): unknown {
  // Editors on Windows like to save a byte-order mark, which neither parser wants.
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  return isJsonText(body, filename) ? parseJson(body, filename) : parseYaml(body, filename);
}

function parseJson(text: string, filename: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const problem = findJsonSyntaxProblem(text);
    if (problem === undefined) throw new ConfigError("", `${filename}: JSON syntax error: ${(e as Error).message}`);
    throw new ConfigError("", `${filename}: JSON syntax error: ${problem.message} at line ${problem.line}, column ${problem.column}`);
  }
}

function parseYaml(text: string, filename: string): unknown {
  const doc = YAML.parseDocument(text);
  const first = doc.errors[0];
  if (first !== undefined) {
    // The library's message ends in a multi-line excerpt; its first line already says where
    // ("... at line 3, column 5:").
    const message = first.message.split("\n")[0]!.replace(/:$/, "");
    throw new ConfigError("", `${filename}: YAML syntax error: ${message}`);
  }
  return doc.toJS();
}
