/**
 * Compiles a regular expression written for MOSN, which compiles it with Go's regexp (RE2
 * syntax), into a JavaScript RegExp that matches the same strings.
 *
 * Most RE2 syntax means the same in JavaScript. What differs is translated: a leading flag group
 * `(?ims)` becomes RegExp flags, `(?P<name>` becomes `(?<name>`, `\A` and `\z` become
 * lookarounds for the start and end of the text. What JavaScript would silently read another way
 * is refused: `\Q...\E`, POSIX classes (`[[:alpha:]]`), `\p`/`\P` Unicode classes, `\C`, and the
 * `U` (ungreedy) flag, and flag groups after the start (`a(?i)b`, `(?i:b)`): the scoped form
 * compiles on Deno and Bun (regexp modifiers) but not on Node 20, and a config must load the
 * same on all three.
 *
 * Returns the RegExp, or a sentence describing the problem for a config error.
 */
export function compileGoRegexp(source: string): RegExp | string {
  let flags = "";
  let i = 0;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (lead !== null) {
    for (const flag of lead[1]!) {
      if (flag !== "i" && flag !== "m" && flag !== "s") return `the (?${flag}) flag is not supported`;
      if (!flags.includes(flag)) flags += flag;
    }
    i = lead[0].length;
  }
  let out = "";
  let inClass = false;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      const next = source[i + 1];
      if (next === undefined) return "trailing backslash";
      if (next === "Q") return "\\Q...\\E literals are not supported; escape each character instead";
      if (next === "p" || next === "P") return `Unicode classes (\\${next}) are not supported`;
      if (next === "C") return "\\C (any byte) is not supported";
      if (!inClass && next === "A") out += "(?<![\\s\\S])";
      else if (!inClass && next === "z") out += "(?![\\s\\S])";
      else out += c + next;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "[" && source[i + 1] === ":") {
        return "POSIX classes such as [[:alpha:]] are not supported; use [a-zA-Z] and the like";
      }
      if (c === "]") inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      i++;
      // A `]` (or `^]`) right after the opening bracket is a literal in RE2, and JavaScript reads
      // `[]` as the empty class: escape it so both see a literal.
      if (source[i] === "^") {
        out += "^";
        i++;
      }
      if (source[i] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && source[i + 1] === "?" && /[a-zA-Z-]/.test(source[i + 2] ?? "") && source[i + 2] !== "P") {
      return "flag groups such as (?i) are supported only at the very start of the pattern";
    }
    if (c === "(" && source.startsWith("(?P<", i)) {
      out += "(?<";
      i += 4;
      continue;
    }
    out += c;
    i++;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
}
