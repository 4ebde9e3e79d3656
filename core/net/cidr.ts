import { isIpv4, parseIp } from "./ip.ts";

/** An address prefix: `address` is an IPv4 or IPv6 literal, `length` its prefix length in bits. */
export interface CidrRange {
  readonly address: string;
  readonly length: number;
}

interface CompiledRange {
  readonly bytes: Uint8Array;
  /** Prefix length over the 16-byte form: an IPv4 /8 is a /104 of ::ffff:0:0/96. */
  readonly bits: number;
}

const compiledRanges = new WeakMap<CidrRange, CompiledRange>();

function compile(range: CidrRange): CompiledRange | string {
  const cached = compiledRanges.get(range);
  if (cached !== undefined) return cached;
  const bytes = parseIp(range.address);
  if (bytes === undefined) return `expected an IPv4 or IPv6 address, got ${JSON.stringify(range.address)}`;
  const v4 = isIpv4(range.address);
  const max = v4 ? 32 : 128;
  if (!Number.isInteger(range.length) || range.length < 0 || range.length > max) {
    return `prefix length must be 0-${max} for ${v4 ? "IPv4" : "IPv6"}, got ${range.length}`;
  }
  const compiled = { bytes, bits: v4 ? 96 + range.length : range.length };
  compiledRanges.set(range, compiled);
  return compiled;
}

/** Describes what is wrong with a range (bad address, prefix too long), or undefined if it is valid. */
export function checkCidrRange(range: CidrRange): string | undefined {
  const compiled = compile(range);
  return typeof compiled === "string" ? compiled : undefined;
}

/**
 * Whether `ip` (an IP literal, optionally with a `%zone`) lies inside `range`. IPv4 and
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`) are one address, as in Go's net.IP, so either form
 * matches an IPv4 range. Host bits set in the range's address are ignored, as ParseCIDR masks
 * them. An invalid range or ip matches nothing.
 */
export function cidrContains(range: CidrRange, ip: string): boolean {
  const compiled = compile(range);
  if (typeof compiled === "string") return false;
  const zone = ip.indexOf("%");
  const bytes = parseIp(zone < 0 ? ip : ip.slice(0, zone));
  if (bytes === undefined) return false;
  const whole = compiled.bits >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== compiled.bytes[i]) return false;
  const rest = compiled.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[whole]! & mask) === (compiled.bytes[whole]! & mask);
}
