const HEX = "0123456789ABCDEF";

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3): percent-encoding them means nothing. */
function isUnreserved(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e ||
    b === 0x5f || b === 0x7e;
}

/** RFC 3986 §5.2.4: removes "." and ".." segments from an absolute path. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split("/");
  // segments[0] is "" (the path starts with "/").
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i]!;
    const last = i === segments.length - 1;
    if (s === ".") {
      if (last) out.push("");
    } else if (s === "..") {
      out.pop();
      if (last) out.push("");
    } else {
      out.push(s);
    }
  }
  return "/" + out.join("/");
}

/**
 * A request path in the form routes compare and upstreams receive, so `/%61dmin` and
 * `/public/../admin` cannot slip past a route on `/admin` (RFC 3986 §6.2.2, as Envoy's
 * normalize_path and MOSN's matching on fasthttp's cleaned path): percent-encoded unreserved
 * characters are decoded, other percent-encodings get upper-case hex (`%2f` stays encoded as
 * `%2F`: an encoded slash is not a separator), and dot segments are removed. The query string
 * is left as it is. Returns undefined for a malformed percent-encoding (the caller answers 400);
 * `*` and paths that do not start with "/" are returned unchanged.
 */
export function normalizePath(target: string): string | undefined {
  if (target.charCodeAt(0) !== 0x2f) return target;
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? "" : target.slice(q);
  let p = path;
  if (path.includes("%")) {
    let out = "";
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      if (c !== 0x25) {
        out += path[i];
        continue;
      }
      const hi = hexValue(path.charCodeAt(i + 1));
      const lo = hexValue(path.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      const byte = hi * 16 + lo;
      out += isUnreserved(byte) ? String.fromCharCode(byte) : "%" + HEX[hi] + HEX[lo];
      i += 2;
    }
    p = out;
  }
  if (p.includes("/.")) p = removeDotSegments(p);
  return p === path ? target : p + query;
}
