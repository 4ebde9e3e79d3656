/** Where a JSON text first goes wrong. `line` and `column` count from 1. */
export interface JsonSyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

class Problem {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Finds the first syntax error in `text`, or undefined when it is valid JSON. JSON.parse says
 * where it failed on V8 but not on Bun (JavaScriptCore), so positions come from this scanner,
 * which is only run once JSON.parse has already refused the text.
 */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.document();
    return undefined;
  } catch (e) {
    if (!(e instanceof Problem)) return undefined;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < e.offset && i < text.length; i++) {
      if (text[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: e.offset - lineStart + 1, message: e.message };
  }
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): void {
    this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.unexpected("after the top-level value");
  }

  private value(): void {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.unexpected("where a value should be");
  }

  private object(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "}") throw new Problem(this.pos, "trailing comma is not allowed in JSON");
      if (this.text[this.pos] !== '"') this.unexpected("where a quoted key should be");
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ":") this.unexpected('where ":" should be');
      this.pos++;
      this.value();
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "}") return;
      if (c !== ",") this.unexpected('where "," or "}" should be', this.pos - 1);
    }
  }

  private array(): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === "]") throw new Problem(this.pos, "trailing comma is not allowed in JSON");
      this.value();
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === "]") return;
      if (c !== ",") this.unexpected('where "," or "]" should be', this.pos - 1);
    }
  }

  private string(): void {
    const start = this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) throw new Problem(start, "string is never closed");
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c < " ") throw new Problem(this.pos, "control character inside a string (escape it)");
      if (c === "\\") {
        const e = this.text[this.pos + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            throw new Problem(this.pos, "bad \\u escape");
          }
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) throw new Problem(this.pos, "bad escape in string");
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (match === null) throw new Problem(this.pos, "malformed number");
    this.pos += match[0].length;
  }

  private skipSpace(): void {
    while (WHITESPACE.has(this.text[this.pos]!)) this.pos++;
  }

  private unexpected(where: string, at = this.pos): never {
    const c = this.text[at];
    throw new Problem(at, c === undefined ? "unexpected end of text" : `unexpected ${JSON.stringify(c)} ${where}`);
  }
}
