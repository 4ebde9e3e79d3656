/** An inclusive range of ports; a single port has min === max. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Parses MOSN's tcp_proxy port spec: comma-separated ports or inclusive ranges, as
 * "80", "8000-8080" or "80,443,9000-9100". "" means any port and gives an empty list.
 * Returns a string describing the problem instead of throwing; MOSN skips a bad item silently,
 * which would quietly widen or narrow a route, so here it is an error.
 */
export function parsePortSpec(text: string): PortRange[] | string {
  if (text.trim() === "") return [];
  const ranges: PortRange[] = [];
  for (const rawItem of text.split(",")) {
    const item = rawItem.trim();
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(item);
    if (m === null) {
      return `expected ports like "80", "8000-8080" or "80,443", got ${JSON.stringify(item)} in ${
        JSON.stringify(text)
      }`;
    }
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : Number(m[2]);
    if (min > 65535 || max > 65535) return `port must be 0-65535, got ${JSON.stringify(item)}`;
    if (min > max) return `range ${JSON.stringify(item)} starts above its end`;
    ranges.push({ min, max });
  }
  return ranges;
}

/** Whether `port` falls in any of `ranges`; an empty list matches every port. */
export function portInRanges(ranges: readonly PortRange[], port: number): boolean {
  if (ranges.length === 0) return true;
  for (const r of ranges) if (port >= r.min && port <= r.max) return true;
  return false;
}
