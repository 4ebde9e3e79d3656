import type { TcpProxyConfig, TcpRouteConfig } from "../../config/types.ts";
import type { ConfigContext } from "../../config/context.ts";
import { type Fields, type ObjectSchema, readObject } from "../../config/fields.ts";
import { parseGoDuration, timeoutProblem } from "../../config/duration.ts";
import { describeValue } from "../../config/keys.ts";
import { UINT32_MAX } from "../../config/limits.ts";
import type { NetworkFilterConfigParser } from "../../config/registry-types.ts";
import { ConfigError } from "../../errors.ts";
import { checkCidrRange, type CidrRange } from "../../net/cidr.ts";
import { parsePortSpec, type PortRange } from "../../net/port-spec.ts";

// MOSN v2 StreamProxy (pkg/config/v2/proxy.go).
const TCP_PROXY: ObjectSchema = {
  fields: ["stat_prefix", "cluster", "idle_timeout", "max_connect_attempts", "routes"],
};

// MOSN's StreamRoute has no json tags, so MOSN files write its Go field names ("SourceAddrs");
// key matching ignores case and "_", so the snake_case spelling below reads both.
const ROUTE: ObjectSchema = {
  fields: ["cluster", "source_addrs", "destination_addrs", "source_port", "destination_port"],
};

const CIDR: ObjectSchema = { fields: ["address", "length"] };

/** MOSN's tcp_proxy idle timeout when none is configured (types.DefaultIdleTimeout). */
export const DEFAULT_TCP_IDLE_TIMEOUT_MS = 90_000;

/**
 * Validates a `tcp_proxy` filter's config (MOSN v2 StreamProxy) into a frozen TcpProxyConfig.
 * Either `cluster` or at least one route is required. Every cluster named is recorded on `ctx`
 * for the loader to check against `cluster_manager.clusters`. Throws ConfigError.
 */
export function parseTcpProxyConfig(raw: unknown, path: string, ctx: ConfigContext): TcpProxyConfig {
  const f: Fields = readObject(raw ?? {}, path, ctx, TCP_PROXY);
  const cluster = f.optionalString("cluster");
  if (cluster !== undefined && cluster !== "") ctx.referenceCluster(f.pathOf("cluster"), cluster);
  const routes = f.list("routes").map((item) => parseRoute(item.value, item.path, ctx));
  if ((cluster === undefined || cluster === "") && routes.length === 0) {
    throw new ConfigError(path, 'tcp_proxy needs a "cluster" or at least one entry in "routes"');
  }
  // MOSN's max_connect_attempts is a uint32 whose zero value means "not set".
  const attempts = f.integer("max_connect_attempts", 1, 0, UINT32_MAX);
  return Object.freeze({
    statPrefix: f.string("stat_prefix", ""),
    cluster: cluster === "" ? undefined : cluster,
    routes: Object.freeze(routes),
    idleTimeoutMs: idleTimeout(f),
    maxConnectAttempts: attempts === 0 ? 1 : attempts,
  });
}

/**
 * MOSN types StreamProxy.idle_timeout as a bare time.Duration, so its JSON form is a number of
 * nanoseconds; a Go duration string ("30s") is accepted as well since every other MOSN timeout
 * is written that way. Absent means MOSN's 90 s default; 0 means the filter sets none, which
 * leaves the listener's connection_idle_timeout in force. Either form must fit a timer.
 */
function idleTimeout(f: Fields): number {
  const value = f.get("idle_timeout");
  if (value === undefined) return DEFAULT_TCP_IDLE_TIMEOUT_MS;
  let ms: number | string;
  if (typeof value === "number" && Number.isInteger(value)) ms = value / 1e6;
  else if (typeof value === "string") ms = parseGoDuration(value);
  else ms = `expected a duration such as "30s" (or integer nanoseconds), got ${describeValue(value)}`;
  if (typeof ms === "string") f.fail("idle_timeout", ms);
  const problem = timeoutProblem(ms, value);
  if (problem !== undefined) f.fail("idle_timeout", problem);
  return ms;
}

function parseRoute(raw: unknown, path: string, ctx: ConfigContext): TcpRouteConfig {
  const f: Fields = readObject(raw, path, ctx, ROUTE);
  const cluster = f.requiredString("cluster");
  ctx.referenceCluster(f.pathOf("cluster"), cluster);
  return Object.freeze({
    cluster,
    sourceAddrs: cidrList(f, "source_addrs", ctx),
    destinationAddrs: cidrList(f, "destination_addrs", ctx),
    sourcePorts: portList(f, "source_port"),
    destinationPorts: portList(f, "destination_port"),
  });
}

function cidrList(f: Fields, key: string, ctx: ConfigContext): readonly CidrRange[] {
  return Object.freeze(f.list(key).map((item) => parseCidr(item.value, item.path, ctx)));
}

/** MOSN's `{ "address": "10.0.0.0", "length": 8 }`, or the same written as "10.0.0.0/8". */
function parseCidr(raw: unknown, path: string, ctx: ConfigContext): CidrRange {
  let range: CidrRange;
  if (typeof raw === "string") {
    const slash = raw.indexOf("/");
    if (slash < 0 || !/^\d{1,3}$/.test(raw.slice(slash + 1))) {
      throw new ConfigError(path, `expected "address/length" or { address, length }, got ${describeValue(raw)}`);
    }
    range = { address: raw.slice(0, slash), length: Number(raw.slice(slash + 1)) };
  } else {
    const f: Fields = readObject(raw, path, ctx, CIDR);
    // Go would read a missing length as /0, which matches every address; too easy to miss.
    if (!f.has("length")) f.fail("length", "required field is missing");
    range = { address: f.requiredString("address"), length: f.integer("length", 0, 0, 128) };
  }
  const problem = checkCidrRange(range);
  if (problem !== undefined) throw new ConfigError(path, problem);
  return Object.freeze(range);
}

function portList(f: Fields, key: string): readonly PortRange[] {
  const value = f.get(key);
  if (value === undefined) return Object.freeze([]);
  // Go's decoder refuses a number for MOSN's string field; a lone port number is unambiguous.
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string") {
    f.fail(key, `expected a port spec string such as "80,8000-8080", got ${describeValue(value)}`);
  }
  const ranges = parsePortSpec(text);
  if (typeof ranges === "string") f.fail(key, ranges);
  return Object.freeze(ranges.map((r) => Object.freeze(r)));
}

/** The `tcp_proxy` entry for a ConfigRegistry. */
export const tcpProxyConfigParser: NetworkFilterConfigParser<TcpProxyConfig> = {
  parseConfig: parseTcpProxyConfig,
};
