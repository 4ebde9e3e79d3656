import type { LogLevel } from "../observe/logger.ts";
import { ConfigError } from "../errors.ts";
import { formatAddress, parseAddress } from "../net/address.ts";
import type { ConfigContext } from "./context.ts";
import { type Fields, type Item, readObject } from "./fields.ts";
import { describeValue, didYouMean } from "./keys.ts";
import { MAX_BUFFER_LIMIT_BYTES } from "./limits.ts";
import { readServerRouters } from "./load-routers.ts";
import type { ConfigRegistry } from "./registry-types.ts";
import { FILTER, FILTER_CHAIN, LISTENER, SERVER } from "./schemas.ts";
import type {
  FilterChainConfig,
  ListenerConfig,
  NetworkFilterConfig,
  ServerConfig,
  StreamFilterConfig,
} from "./types.ts";

/**
 * Our default; MOSN v0.26 has no such key (ListenerConfig's PerConnBufferLimitBytes is tagged
 * `json:"-"`) and fixes 32 KiB, which it records but does not enforce.
 */
export const DEFAULT_LISTENER_BUFFER_LIMIT_BYTES = 64 * 1024;
/**
 * MOSN's idle timeout for a listener without connection_idle_timeout (pkg/server/handler.go
 * newConnection, types.DefaultIdleTimeout); an explicit 0 turns it off (idlechecker.go).
 */
export const DEFAULT_CONNECTION_IDLE_TIMEOUT_MS = 90_000;

/** Network filter types MOSN registers (pkg/config/v2/filter.go), for a clearer refusal. */
const MOSN_NETWORK_FILTERS = [
  "proxy",
  "connection_manager",
  "tcp_proxy",
  "udp_proxy",
  "fault_inject",
  "rpc_proxy",
  "x_proxy",
  "transcoder",
  "grpc",
  "tunnel",
];

/**
 * Reads `servers[]` into frozen ServerConfigs. At least one listener is required (with none
 * there is nothing to run); listener names, and the addresses of listeners that bind, must be
 * unique across all servers. Throws ConfigError; warnings go to `ctx`.
 */
export function readServers(top: Fields, registry: ConfigRegistry, ctx: ConfigContext): ServerConfig[] {
  const servers = top.list("servers").map((item, i) => readServer(item, i, registry, ctx));
  const names = new Map<string, string>();
  const bound = new Map<string, string>();
  let count = 0;
  servers.forEach((server, s) => {
    server.listeners.forEach((listener, l) => {
      const path = `servers[${s}].listeners[${l}]`;
      count++;
      const address = formatAddress(listener.address);
      const sameAddress = bound.get(address);
      if (listener.bindPort && sameAddress !== undefined) {
        throw new ConfigError(`${path}.address`, `${address} is already used by ${sameAddress}`);
      }
      if (listener.bindPort) bound.set(address, path);
      const sameName = names.get(listener.name);
      if (sameName !== undefined) {
        throw new ConfigError(
          `${path}.name`,
          `duplicate listener name ${JSON.stringify(listener.name)} (also ${sameName})`,
        );
      }
      names.set(listener.name, path);
    });
  });
  if (count === 0) throw new ConfigError("servers", "no listeners configured: nothing to run");
  return servers;
}

function readServer(item: Item, index: number, registry: ConfigRegistry, ctx: ConfigContext): ServerConfig {
  const f: Fields = readObject(item.value, item.path, ctx, SERVER);
  readServerRouters(f);
  const listeners = f.list("listeners").map((l) => readListener(l.value, l.path, registry, ctx));
  return Object.freeze({
    name: f.string("mosn_server_name", `server_${index}`),
    listeners: Object.freeze(listeners),
    gracefulTimeoutMs: f.duration("graceful_timeout", 0),
    logLevel: readLogLevel(f),
  });
}

/** MOSN's log levels (pkg/log: TRACE, DEBUG, INFO, WARN, ERROR, FATAL) as ours, in any case. */
const MOSN_LOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  fatal: "error",
};

function readLogLevel(f: Fields): LogLevel | undefined {
  const given = f.optionalString("default_log_level");
  if (given === undefined || given === "") return undefined;
  const level = MOSN_LOG_LEVELS[given.toLowerCase()];
  if (level !== undefined) return level;
  const names = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
  f.fail(
    "default_log_level",
    `unknown log level ${describeValue(given)}${didYouMean(given, names) || ` (expected one of ${names.join(", ")})`}`,
  );
}

function readListener(raw: unknown, path: string, registry: ConfigRegistry, ctx: ConfigContext): ListenerConfig {
  const f: Fields = readObject(raw, path, ctx, LISTENER);
  const network = f.string("network", "tcp").toLowerCase();
  if (network === "udp" || network === "unix") {
    f.fail("network", `${network} listeners are not supported yet, only tcp`);
  }
  if (network !== "tcp") f.fail("network", `expected "tcp", "udp" or "unix", got ${describeValue(f.get("network"))}`);
  const address = parseAddress(f.requiredString("address"));
  if (typeof address === "string") f.fail("address", address);
  const chains = f.list("filter_chains");
  if (chains.length === 0) f.fail("filter_chains", "a listener needs one filter chain");
  if (chains.length > 1) {
    throw new ConfigError(chains[1]!.path, "only one filter chain per listener is supported (as in MOSN)");
  }
  const filterChains = chains.map((c) => readFilterChain(c.value, c.path, registry, ctx));
  const streamFilters = f.list("stream_filters").map((item) => readStreamFilter(item.value, item.path, registry, ctx));
  if (streamFilters.length > 0 && !filterChains.some((c) => c.filters.some((fl) => fl.type === "proxy"))) {
    ctx.warn(f.pathOf("stream_filters"), "ignored: stream filters run in a proxy filter, and this listener has none");
  }
  return Object.freeze({
    // MOSN names an unnamed listener after its address.
    name: f.string("name", "") || formatAddress(address),
    address: Object.freeze(address),
    bindPort: f.boolean("bind_port", true),
    bufferLimitBytes: f.integer(
      "per_connection_buffer_limit_bytes",
      DEFAULT_LISTENER_BUFFER_LIMIT_BYTES,
      1,
      MAX_BUFFER_LIMIT_BYTES,
    ),
    // MOSN's field is a pointer: absent or null gets the default, 0 means none.
    idleTimeoutMs: f.duration("connection_idle_timeout", DEFAULT_CONNECTION_IDLE_TIMEOUT_MS),
    filterChains: Object.freeze(filterChains),
    streamFilters: Object.freeze(streamFilters),
  });
}

/** MOSN stream filter types isthmus does not have, for a clearer refusal than "unknown". */
const MOSN_STREAM_FILTERS = [
  "dsl",
  "dubbo_stream",
  "fault_tolerance",
  "flowControlFilter",
  "grpc_metric",
  "gzip",
  "header_to_metadata",
  "ip_access",
  "payload_limit",
  "proxywasm",
  "seata",
  "transcoder",
];

function readStreamFilter(
  raw: unknown,
  path: string,
  registry: ConfigRegistry,
  ctx: ConfigContext,
): StreamFilterConfig {
  const f: Fields = readObject(raw, path, ctx, FILTER);
  const type = f.requiredString("type");
  const parser = registry.streamFilter(type);
  if (parser === undefined) {
    const known = registry.streamFilterTypes();
    // A stream filter changes what requests get: ignoring one would silently serve without it.
    if (MOSN_STREAM_FILTERS.includes(type)) {
      f.fail(
        "type",
        `MOSN stream filter ${JSON.stringify(type)} is not supported yet (available: ${known.join(", ")})`,
      );
    }
    const hint = didYouMean(type, known);
    f.fail("type", `unknown stream filter type ${JSON.stringify(type)}${hint || ` (available: ${known.join(", ")})`}`);
  }
  return Object.freeze({ type, config: parser.parseConfig(f.get("config"), f.pathOf("config"), ctx) });
}

function readFilterChain(raw: unknown, path: string, registry: ConfigRegistry, ctx: ConfigContext): FilterChainConfig {
  const f: Fields = readObject(raw, path, ctx, FILTER_CHAIN);
  const filters = f.list("filters");
  if (filters.length === 0) f.fail("filters", "a filter chain needs at least one filter");
  return Object.freeze({
    filters: Object.freeze(filters.map((item) => readFilter(item.value, item.path, registry, ctx))),
  });
}

function readFilter(raw: unknown, path: string, registry: ConfigRegistry, ctx: ConfigContext): NetworkFilterConfig {
  const f: Fields = readObject(raw, path, ctx, FILTER);
  const type = f.requiredString("type");
  const parser = registry.networkFilter(type);
  if (parser === undefined) {
    const known = registry.networkFilterTypes();
    // Checked before the hint, so udp_proxy is not "corrected" to tcp_proxy.
    if (MOSN_NETWORK_FILTERS.includes(type)) {
      f.fail("type", `MOSN filter type ${JSON.stringify(type)} is not supported yet (available: ${known.join(", ")})`);
    }
    const hint = didYouMean(type, known);
    f.fail("type", `unknown filter type ${JSON.stringify(type)}${hint || ` (available: ${known.join(", ")})`}`);
  }
  return Object.freeze({ type, config: parser.parseConfig(f.get("config"), f.pathOf("config"), ctx) });
}
