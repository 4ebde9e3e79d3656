/**
 * Parses an IPv4 or IPv6 literal into 16 bytes, IPv4 in its IPv4-mapped form (::ffff:a.b.c.d),
 * as Go's net.ParseIP does, so one comparison serves both families. Returns undefined when the
 * text is not an IP literal. Zones (`%eth0`) and brackets are not accepted here.
 */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes(":")) return parseIpv6(text);
  const v4 = parseIpv4(text);
  if (v4 === undefined) return undefined;
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(v4, 12);
  return bytes;
}

/** Whether `text` is a dotted-quad IPv4 literal. */
export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    // Leading zeros are refused, as Go does since 1.17: "010" reads as octal to some parsers.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseGroups(part: string, allowTrailingV4: boolean): number[] | undefined {
  if (part === "") return [];
  const out: number[] = [];
  const pieces = part.split(":");
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (allowTrailingV4 && i === pieces.length - 1 && piece.includes(".")) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
      out.push(parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const elided = halves.length === 2;
  const head = parseGroups(halves[0]!, !elided);
  const tail = elided ? parseGroups(halves[1]!, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  // "::" must stand for at least one zero group.
  if (elided ? head.length + tail.length > 7 : head.length !== 8) return undefined;
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}
