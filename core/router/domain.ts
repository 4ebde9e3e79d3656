/**
 * One entry of a virtual host's `domains`, lower-cased and split into its parts:
 * - `default`: `*` or `*:*`, any host;
 * - `exact`: `www.example.com`;
 * - `suffix`: `*.example.com` or `*-bar.example.com`, the text after the `*` (at least one
 *   character of the host must stand for the `*`); `*:8080` is a suffix wildcard with an empty
 *   suffix, any host on that port, as in MOSN;
 * - `prefix`: `www.example.*`, the text before the `*` (Envoy's; MOSN has no prefix wildcards).
 *
 * `port` is the text after the last `:` outside brackets: a number, `*` (any port, or none), or
 * undefined when the domain carries no port.
 */
export interface Domain {
  readonly kind: "default" | "exact" | "suffix" | "prefix";
  /** The host as written (exact), the text after the `*` (suffix) or before it (prefix). */
  readonly text: string;
  readonly port: string | undefined;
}

// RFC 3986 reg-name characters plus `[ ] :` for IPv6 literals and `*` for the wildcard. Anything
// else (a space, a slash, a stray quote) could never equal a Host header.
const DOMAIN_CHARS = /^[a-z0-9\-._~!$&'()+,;=\[\]:*%]+$/;

/** Parses a configured domain, or returns a sentence saying what is wrong with it. */
export function parseDomain(raw: string): Domain | string {
  const domain = raw.toLowerCase();
  if (domain === "") return "a domain must not be empty";
  if (!DOMAIN_CHARS.test(domain)) return `${JSON.stringify(raw)} is not a host name`;
  const split = splitHostPort(domain);
  const host = domain.slice(0, split);
  const port = split < domain.length ? domain.slice(split + 1) : undefined;
  if (port !== undefined && port !== "*" && !isPort(port)) {
    return `${JSON.stringify(raw)}: the port must be a number 1-65535 or *`;
  }
  if (host === "") return `${JSON.stringify(raw)}: the host is missing`;
  const star = host.indexOf("*");
  if (star < 0) return { kind: "exact", text: host, port };
  if (host.indexOf("*", star + 1) >= 0) return `${JSON.stringify(raw)}: only one * is allowed`;
  if (host === "*") {
    return port === undefined || port === "*"
      ? { kind: "default", text: "", port: undefined }
      : { kind: "suffix", text: "", port };
  }
  if (star === 0) return { kind: "suffix", text: host.slice(1), port };
  if (star === host.length - 1) return { kind: "prefix", text: host.slice(0, -1), port };
  return `${JSON.stringify(raw)}: a * must begin or end the host (*.example.com, www.example.*)`;
}

/**
 * The index of the `:` that starts the port in a host or authority, or its length when there is
 * none: the last `:` that follows any `]`, so `[::1]` has no port and `[::1]:80` has 80.
 */
export function splitHostPort(authority: string): number {
  const colon = authority.lastIndexOf(":");
  if (colon < 0 || colon < authority.lastIndexOf("]")) return authority.length;
  // A bare IPv6 address without brackets is not a valid authority; read it all as the host.
  if (authority.indexOf(":") !== colon && authority.charCodeAt(0) !== 0x5b) return authority.length;
  return colon;
}

function isPort(text: string): boolean {
  if (!/^[0-9]{1,5}$/.test(text)) return false;
  const n = Number(text);
  return n >= 1 && n <= 65535;
}
