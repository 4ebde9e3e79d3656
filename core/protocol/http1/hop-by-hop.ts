import type { HeaderMap } from "../../stream/header-map.ts";

/** What the Connection field of a message asked for, read before the field is removed. */
export interface ConnectionOptions {
  readonly close: boolean;
  readonly keepAlive: boolean;
  /** The Upgrade field's value when Connection names `upgrade` (a WebSocket handshake). */
  readonly upgrade: string | undefined;
}

/** Fields that describe one hop, never forwarded (RFC 9110 §7.6.1, RFC 9112 §9.6, §7.4). */
const HOP_BY_HOP = ["connection", "keep-alive", "te", "transfer-encoding", "proxy-connection"];
const HOP_BY_HOP_SET: ReadonlySet<string> = new Set(HOP_BY_HOP);
const NONE: ConnectionOptions = Object.freeze({ close: false, keepAlive: false, upgrade: undefined });

/**
 * Removes the hop-by-hop fields of an HTTP/1 message in place: Connection and every field it
 * names, Keep-Alive, TE, Transfer-Encoding (framing is the codec's), Proxy-Connection, and every
 * `Proxy-*` field (meant for us: Proxy-Authorization must not reach the server). Upgrade stays
 * only when Connection names it (a handshake the next hop must see, and whose encoder writes
 * `Connection: upgrade` again); a stray Upgrade is dropped. Returns what Connection said.
 */
export function stripHopByHop(headers: HeaderMap): ConnectionOptions {
  // Most messages carry none of these fields: one scan of the names decides, with no allocation.
  let any = false;
  for (let i = 0; i < headers.size && !any; i++) {
    const name = headers.nameAt(i);
    any = HOP_BY_HOP_SET.has(name) || name === "upgrade" || name.startsWith("proxy-");
  }
  if (!any) return NONE;
  let close = false;
  let keepAlive = false;
  let upgradeNamed = false;
  const named: string[] = [];
  for (const value of headers.getAll("connection")) {
    for (const part of value.split(",")) {
      const option = part.trim().toLowerCase();
      if (option === "close") close = true;
      else if (option === "keep-alive") keepAlive = true;
      else if (option === "upgrade") upgradeNamed = true;
      if (option !== "") named.push(option);
    }
  }
  const upgrade = upgradeNamed ? headers.get("upgrade") : undefined;
  for (const name of HOP_BY_HOP) headers.delete(name);
  for (const name of named) if (name !== "upgrade" || upgrade === undefined) headers.delete(name);
  if (upgrade === undefined) headers.delete("upgrade");
  const proxyFields: string[] = [];
  headers.forEach((name) => {
    if (name.startsWith("proxy-")) proxyFields.push(name);
  });
  for (const name of proxyFields) headers.delete(name);
  return { close, keepAlive, upgrade };
}
