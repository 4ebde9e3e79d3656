// Just enough of source map v3 to say which source file a position of a bundle comes from: the
// node adapter runs as one esbuild bundle (adapters/node/dist/main.mjs), and a profile of it
// names only the bundle. Decodes `mappings` (base64 VLQ) into sorted segments per line.

const B64 = new Map([..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c, i]));

/** The numbers of one segment ("AAAA", "kBAAC", ...): each a VLQ, sign in the lowest bit. */
export function decodeVlq(text) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = B64.get(c);
    if (digit === undefined) throw new Error(`bad base64 VLQ character "${c}" in "${text}"`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  if (shift !== 0) throw new Error(`truncated VLQ "${text}"`);
  return out;
}

/**
 * A lookup from a generated position (0-based line and column, as profiles give them) to
 * { source, line } (the path the map names, 0-based original line), or null where nothing maps.
 */
export function sourceLookup(map) {
  if (map.version !== 3 || typeof map.mappings !== "string") throw new Error("not a source map v3 with mappings");
  const lines = [];
  let source = 0;
  let origLine = 0;
  for (const line of map.mappings.split(";")) {
    const segments = []; // [column, source, original line] triples, columns ascending
    let column = 0;
    for (const seg of line.split(",")) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      column += f[0];
      if (f.length >= 4) {
        source += f[1];
        origLine += f[2];
        segments.push(column, source, origLine);
      }
    }
    lines.push(segments);
  }
  const at = (segs, i) => {
    const src = map.sources[segs[i * 3 + 1]];
    return src === undefined ? null : { source: src, line: segs[i * 3 + 2] };
  };
  return (line, col) => {
    const segs = lines[line];
    if (!segs || segs.length === 0) return null;
    // The last segment starting at or before col (binary search), or the line's first one.
    let lo = 0;
    let hi = segs.length / 3 - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid * 3] <= col) lo = mid;
      else hi = mid - 1;
    }
    return at(segs, lo);
  };
}
