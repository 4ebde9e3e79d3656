import { Http1ParseError } from "./parse-error.ts";

/** The parts of a request-target the stream layer carries as `:scheme`, `:authority`, `:path`. */
export interface TargetParts {
  /** From an absolute-form target (http or https); undefined for the other forms. */
  readonly scheme: string | undefined;
  /** From an absolute-form or authority-form target; undefined for origin-form and `*`. */
  readonly authority: string | undefined;
  /** `/path?query`, or `*`; undefined for CONNECT's authority-form. */
  readonly path: string | undefined;
}

// reg-name, IPv4, IP-literal and port characters (RFC 3986 §3.2): no "@" (userinfo is refused,
// RFC 9110 §4.2.4), no "/", "\", "?" or "#" that would let two parsers see different hosts.
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{0,5})?$/;

/** Whether `value` may be a Host field or a target's authority. */
export function isValidAuthority(value: string): boolean {
  return AUTHORITY.test(value);
}

/**
 * Splits a request-target into its forms (RFC 9112 §3.2): origin-form `/p?q`; absolute-form
 * `http://host/p` (its authority overrides Host, §3.2.2); authority-form `host:port` for CONNECT
 * only; `*` for OPTIONS only. Anything else is 400.
 */
export function splitRequestTarget(method: string, target: string): TargetParts | Http1ParseError {
  if (method === "CONNECT") {
    if (!isValidAuthority(target) || !/:\d{1,5}$/.test(target)) {
      return new Http1ParseError(400, "CONNECT needs host:port");
    }
    return { scheme: undefined, authority: target, path: undefined };
  }
  if (target.charCodeAt(0) === 0x2f) return { scheme: undefined, authority: undefined, path: target };
  if (target === "*") {
    return method === "OPTIONS"
      ? { scheme: undefined, authority: undefined, path: "*" }
      : new Http1ParseError(400, "* is only a target for OPTIONS");
  }
  const sep = target.indexOf("://");
  const scheme = sep > 0 ? target.slice(0, sep).toLowerCase() : "";
  if (scheme !== "http" && scheme !== "https") return new Http1ParseError(400, "malformed request-target");
  const rest = target.slice(sep + 3);
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 0x2f || c === 0x3f) {
      end = i;
      break;
    }
  }
  const authority = rest.slice(0, end);
  if (!isValidAuthority(authority)) return new Http1ParseError(400, "malformed authority in request-target");
  const tail = rest.slice(end);
  return { scheme, authority, path: tail === "" ? "/" : tail.charCodeAt(0) === 0x3f ? "/" + tail : tail };
}
