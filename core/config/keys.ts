/**
 * Key matching for MOSN-shaped config.
 *
 * MOSN decodes its config with Go's encoding/json, which matches an object key to a struct
 * field case-insensitively: `"Name"`, `"NAME"` and `"name"` all fill `name`. Some MOSN structs
 * carry no json tags (tcp_proxy's StreamRoute), so there the Go field name is the key, and MOSN's
 * own tests write `"SourceAddrs"` where the docs write `source_addrs`. Ignoring `_` as well as
 * case lets both spellings land on the same field.
 */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replaceAll("_", "");
}

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment),
 * so the common `lb_tpye` typo is one edit away from `lb_type`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidate closest to `input` (compared as normalized keys), or undefined when none is close
 * enough to be a plausible typo. Short words get a tighter bound so "ab" does not suggest "lb".
 */
export function closestMatch(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalizeKey(input);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const normalized = normalizeKey(candidate);
    const bound = Math.min(2, Math.floor(Math.max(normalized.length, wanted.length) / 3));
    const distance = editDistance(wanted, normalized);
    if (distance <= bound && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ", did you mean X?" when a candidate is close, else "". */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? "" : `, did you mean ${match}?`;
}

/** A value as an error message should show it: strings quoted, containers by kind. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
