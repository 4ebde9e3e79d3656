import { type Domain, splitHostPort } from "./domain.ts";

interface Wildcard<T> {
  readonly text: string;
  readonly port: string | undefined;
  readonly value: T;
}

/**
 * Finds the virtual host for a request's `:authority`, case-insensitively.
 *
 * The order is MOSN's (pkg/router/routers_impl.go findHighestPriorityIndex), with Envoy's prefix
 * wildcards added after the suffix ones, and the longest wildcard winning within each step:
 * 1. exact host, and the port as the domain gives it (`a.com:8080`; a domain without a port
 *    takes a request without one);
 * 2. exact host, any port (`a.com:*`);
 * 3. exact host given without a port, for a request with a port (not in MOSN, where `a.com`
 *    never takes `a.com:8080`: here a domain without a port ignores the request's port);
 * 4-6. suffix wildcards (`*.a.com`), in the same three steps;
 * 7-9. prefix wildcards (`a.*`), in the same three steps;
 * 10. the default, `*`.
 * A request without an authority (HTTP/1.0 without Host, an RPC request) gets the default.
 */
export class VirtualHostIndex<T> {
  /** Exact domains by the authority they take whole: `a.com` (no port) and `a.com:8080`. */
  private readonly exact = new Map<string, T>();
  /** Exact domains with any port, by host: `a.com:*`. */
  private readonly exactAnyPort = new Map<string, T>();
  private readonly suffixes: Wildcard<T>[] = [];
  private readonly prefixes: Wildcard<T>[] = [];
  private defaultValue: T | undefined;

  /**
   * Adds a domain. Returns the value already holding the same domain (a duplicate, which the
   * caller reports), or undefined once added.
   */
  add(domain: Domain, value: T): T | undefined {
    switch (domain.kind) {
      case "default":
        if (this.defaultValue !== undefined) return this.defaultValue;
        this.defaultValue = value;
        return undefined;
      case "exact": {
        const map = domain.port === "*" ? this.exactAnyPort : this.exact;
        const key = domain.port === undefined || domain.port === "*" ? domain.text : `${domain.text}:${domain.port}`;
        const existing = map.get(key);
        if (existing !== undefined) return existing;
        map.set(key, value);
        return undefined;
      }
      case "suffix":
      case "prefix": {
        const list = domain.kind === "suffix" ? this.suffixes : this.prefixes;
        const same = list.find((w) => w.text === domain.text && w.port === domain.port);
        if (same !== undefined) return same.value;
        list.push({ text: domain.text, port: domain.port, value });
        // Longest first, so the first hit in a step is the most specific (stable for equal lengths).
        list.sort((a, b) => b.text.length - a.text.length);
        return undefined;
      }
    }
  }

  /** Whether only a default was added, so every request gets it without looking at the host. */
  get onlyDefault(): boolean {
    return this.exact.size === 0 && this.exactAnyPort.size === 0 && this.suffixes.length === 0 &&
      this.prefixes.length === 0;
  }

  /** The virtual host for `authority` (host, or host:port), or undefined when none takes it. */
  find(authority: string | undefined): T | undefined {
    if (authority === undefined || authority === "" || this.onlyDefault) return this.defaultValue;
    const a = authority.toLowerCase();
    const hostEnd = splitHostPort(a);
    const hasPort = hostEnd < a.length;
    const hit = this.exact.get(a);
    if (hit !== undefined) return hit;
    if (this.exactAnyPort.size > 0 || (hasPort && this.exact.size > 0)) {
      const host = hasPort ? a.slice(0, hostEnd) : a;
      const any = this.exactAnyPort.get(host);
      if (any !== undefined) return any;
      if (hasPort) {
        const portless = this.exact.get(host);
        if (portless !== undefined) return portless;
      }
    }
    return this.wildcard(this.suffixes, a, hostEnd, true) ?? this.wildcard(this.prefixes, a, hostEnd, false) ??
      this.defaultValue;
  }

  private wildcard(list: readonly Wildcard<T>[], a: string, hostEnd: number, suffix: boolean): T | undefined {
    if (list.length === 0) return undefined;
    const hasPort = hostEnd < a.length;
    // Step 1: the request's own port (or none, for none); step 2: `:*`; step 3: no port given.
    for (let step = 1; step <= 3; step++) {
      if (step === 3 && !hasPort) break;
      for (let i = 0; i < list.length; i++) {
        const w = list[i]!;
        if (
          step === 1 &&
          !(hasPort ? w.port !== undefined && w.port !== "*" && samePort(a, hostEnd, w.port) : w.port === undefined)
        ) continue;
        if (step === 2 && w.port !== "*") continue;
        if (step === 3 && w.port !== undefined) continue;
        // The `*` stands for at least one character.
        if (hostEnd <= w.text.length) continue;
        if (suffix ? a.endsWith(w.text, hostEnd) : a.startsWith(w.text)) return w.value;
      }
    }
    return undefined;
  }
}

function samePort(a: string, hostEnd: number, port: string): boolean {
  return a.length - hostEnd - 1 === port.length && a.startsWith(port, hostEnd + 1);
}
