// Shared by this folder's tests: a request's headers, fixed random sources, and router configs
// read through the config layer as a file would give them.
import { assert } from "../../test/support/test-api.ts";
import { ConfigContext } from "../config/context.ts";
import { readRouterConfiguration } from "../config/load-routers.ts";
import { ConfigError } from "../errors.ts";
import { HeaderMap } from "../stream/header-map.ts";
import type { RandomSource, RouteInfo, RouteMatch, RouterConfig } from "./types.ts";

/** Headers in the given order; `[name, value]` pairs keep repeats. */
export function headersOf(entries: Record<string, string> | [string, string][]): HeaderMap {
  const h = new HeaderMap();
  for (const [k, v] of Array.isArray(entries) ? entries : Object.entries(entries)) h.add(k, v);
  return h;
}

/** An HTTP request's headers as the HTTP/1 server codec fills them. */
export function request(authority: string | undefined, path: string, extra: Record<string, string> = {}): HeaderMap {
  const h = new HeaderMap();
  h.add(":method", extra[":method"] ?? "GET");
  h.add(":scheme", extra[":scheme"] ?? "http");
  if (authority !== undefined) h.add(":authority", authority);
  h.add(":path", path);
  for (const [k, v] of Object.entries(extra)) if (!k.startsWith(":")) h.add(k, v);
  return h;
}

/** The entries of `h` as [name, value] pairs, in order. */
export function entries(h: HeaderMap): [string, string][] {
  const out: [string, string][] = [];
  h.forEach((name, value) => out.push([name, value]));
  return out;
}

/** A source returning `values` in turn (then the last one again). */
export function sequence(...values: number[]): RandomSource {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

export const never: RandomSource = () => assert.fail("random source used");

/** A router read from a raw router config; its warnings and cluster references too. */
export function routerOf(raw: unknown): { router: RouterConfig; ctx: ConfigContext } {
  const ctx = new ConfigContext();
  return { router: readRouterConfiguration(raw, "servers[0].routers[0]", ctx), ctx };
}

/** One virtual host taking every domain, with these routes. */
export function routesOf(
  routes: unknown[],
  extra: Record<string, unknown> = {},
): { router: RouterConfig; ctx: ConfigContext } {
  return routerOf({
    router_config_name: "r",
    virtual_hosts: [{ name: "vh", domains: ["*"], routers: routes }],
    ...extra,
  });
}

/** The route a request gets: its kind plus the cluster, status or location. */
export function outcome(m: RouteMatch | undefined): string {
  if (m === undefined) return "none";
  if (m.kind === "forward") return `forward ${m.route.cluster ?? "(no cluster)"}`;
  if (m.kind === "redirect") return `redirect ${m.status} ${m.location}`;
  return `direct ${m.status} ${m.body}`;
}

/** The ConfigError message reading `raw` throws. */
export function configErrorOf(raw: unknown): string {
  try {
    routerOf(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return assert.fail("expected a ConfigError");
}

/** The route's names for logs, whatever kind it is. */
export function infoOf(m: RouteMatch | undefined): RouteInfo | undefined {
  return m === undefined ? undefined : m.kind === "forward" ? m.route.info : m.info;
}

/** The response header rewrite of a match of any kind. */
export function rewriteResponseOf(m: RouteMatch | undefined): ((h: HeaderMap) => void) | undefined {
  if (m === undefined) return undefined;
  return m.kind === "forward" ? (h) => m.route.rewriteResponse(h) : (h) => m.rewriteResponse(h);
}
