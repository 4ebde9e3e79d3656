import type { ConfigContext } from "../../config/context.ts";
import { type Fields, type ObjectSchema, readObject } from "../../config/fields.ts";
import { describeValue, didYouMean } from "../../config/keys.ts";
import { MAX_BUFFER_LIMIT_BYTES } from "../../config/limits.ts";
import type { NetworkFilterConfigParser } from "../../config/registry-types.ts";

/** A `proxy` filter's config (MOSN's v2 Proxy, pkg/config/v2/proxy.go), validated. */
export interface ProxyFilterConfig {
  /** A protocol name as registered ("Http1"), or "Auto" to detect it per connection. */
  readonly downstreamProtocol: string;
  /** A registered protocol name; undefined means the same as the downstream's (MOSN's "Auto" or absent). */
  readonly upstreamProtocol: string | undefined;
  readonly routerConfigName: string;
  /** How long an Auto listener waits for enough bytes to tell the protocol. */
  readonly detectTimeoutMs: number;
  /** Append the client's address to X-Forwarded-For (and set X-Forwarded-Proto); default true. */
  readonly appendForwardedFor: boolean;
  /** The most a stream filter asking for the whole request body may get (413 past it); default 1 MiB. */
  readonly maxRequestBodyBytes: number;
  /** Normalize request paths before routing and forwarding (RFC 3986 §6.2.2); default true. */
  readonly normalizePath: boolean;
}

const PROXY: ObjectSchema = {
  fields: [
    "downstream_protocol",
    "upstream_protocol",
    "router_config_name",
    "extend_config",
    // isthmus's own keys:
    "detect_timeout",
    "append_x_forwarded_for",
    "max_request_body_bytes",
    "normalize_path",
  ],
  mosnOnly: ["name", "fallback_for_unknown_protocol", "router_handler_name", "validate_clusters", "concurrency_num"],
};

/** The protocols isthmus serves today, as MOSN spells them. */
const SUPPORTED = ["Http1", "Auto"];
/** MOSN protocol names not built yet: a clear refusal rather than a "did you mean". */
const NOT_YET = ["Http2", "X", "bolt", "boltv2", "dubbo", "tars", "dubbothrift", "grpc"];

const DEFAULT_DETECT_TIMEOUT_MS = 10_000;

function protocolName(f: Fields, key: string, fallback: string | undefined): string | undefined {
  const given = f.optionalString(key);
  if (given === undefined || given === "") return fallback;
  const known = SUPPORTED.find((p) => p.toLowerCase() === given.toLowerCase());
  if (known !== undefined) return known;
  if (NOT_YET.some((p) => p.toLowerCase() === given.toLowerCase())) {
    f.fail(key, `protocol ${JSON.stringify(given)} is not supported yet (available: ${SUPPORTED.join(", ")})`);
  }
  f.fail(
    key,
    `unknown protocol ${describeValue(given)}${
      didYouMean(given, SUPPORTED) || ` (expected one of ${SUPPORTED.join(", ")})`
    }`,
  );
}

/**
 * Validates a `proxy` filter's config. `router_config_name` is required and recorded for the
 * loader to check against the router configs; protocol names are MOSN's (`Http1`, `Auto`; an
 * `upstream_protocol` of `Auto` or none means the downstream's). Throws ConfigError.
 */
export function parseProxyConfig(raw: unknown, path: string, ctx: ConfigContext): ProxyFilterConfig {
  const f = readObject(raw ?? {}, path, ctx, PROXY);
  const routerConfigName = f.requiredString("router_config_name");
  ctx.referenceRouter(f.pathOf("router_config_name"), routerConfigName);
  const downstream = protocolName(f, "downstream_protocol", "Auto")!;
  const upstream = protocolName(f, "upstream_protocol", undefined);
  const extend = f.get("extend_config");
  if (extend !== undefined && (typeof extend !== "object" || extend === null || Array.isArray(extend))) {
    f.fail("extend_config", `expected an object, got ${describeValue(extend)}`);
  }
  // Its keys configure protocols not built yet (sub_protocol for X, http2_use_stream); only a
  // value that asks for something (not Go's zero value) is worth a warning.
  if (
    extend !== undefined &&
    Object.values(extend as object).some((v) => v !== false && v !== 0 && v !== "" && v !== null)
  ) {
    ctx.warn(f.pathOf("extend_config"), "ignored: it configures protocols isthmus does not serve yet");
  }
  return Object.freeze({
    downstreamProtocol: downstream,
    upstreamProtocol: upstream === "Auto" ? undefined : upstream,
    routerConfigName,
    detectTimeoutMs: f.duration("detect_timeout", DEFAULT_DETECT_TIMEOUT_MS),
    appendForwardedFor: f.boolean("append_x_forwarded_for", true),
    maxRequestBodyBytes: f.integer("max_request_body_bytes", 1024 * 1024, 1, MAX_BUFFER_LIMIT_BYTES),
    normalizePath: f.boolean("normalize_path", true),
  });
}

export const proxyConfigParser: NetworkFilterConfigParser<ProxyFilterConfig> = { parseConfig: parseProxyConfig };
