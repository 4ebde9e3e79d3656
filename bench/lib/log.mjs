// Progress goes to stderr so stdout carries only the report.

/** Writes one progress line to stderr. */
export function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

/** One line for a table cell: the first line of the message, which names the cause. */
export function briefError(message) {
  const line = String(message).split("\n")[0].trim() || "?";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
