/** A transport endpoint. `host` is an IP literal or a name; IPv6 literals carry no brackets. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses "host:port", "[v6]:port" or "v6:port"-free forms into an Address.
 * Returns a string describing the problem instead of throwing, so config code can attach a path.
 */
export function parseAddress(text: string): Address | string {
  if (typeof text !== "string" || text.length === 0) return `expected "host:port", got ${JSON.stringify(text)}`;
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0 || text[close + 1] !== ":") return `expected "[v6-address]:port", got ${JSON.stringify(text)}`;
    host = text.slice(1, close);
    portText = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0) return `expected "host:port", got ${JSON.stringify(text)}`;
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(":")) return `IPv6 addresses need brackets, as "[${host}]:${portText}"`;
  }
  if (!/^\d{1,5}$/.test(portText)) return `port must be a number 0-65535, got ${JSON.stringify(portText)}`;
  const port = Number(portText);
  if (port > 65535) return `port must be a number 0-65535, got ${port}`;
  // Go's net.Listen treats an empty host as all interfaces, as MOSN configs rely on (":2045").
  if (host === "") host = "0.0.0.0";
  return { host, port };
}

/** Formats an Address the way it would be written in config ("[::1]:80" for IPv6). */
export function formatAddress(a: Address): string {
  return a.host.includes(":") ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
