import type { ConfigContext } from "../../config/context.ts";
import { type Fields, type ObjectSchema, readObject } from "../../config/fields.ts";
import { describeValue, didYouMean } from "../../config/keys.ts";
import { MAX_BUFFER_LIMIT_BYTES } from "../../config/limits.ts";
import type { NetworkFilterConfigParser } from "../../config/registry-types.ts";

/** A `proxy` filter's config (MOSN's v2 Proxy, pkg/config/v2/proxy.go), validated. */
export interface ProxyFilterConfig {
  /**
   * Registered protocol names ("Http1", "bolt"), one or several to detect among (MOSN's
   * comma-separated list), or "Auto" to detect among every registered protocol.
   */
  readonly downstreamProtocols: readonly string[] | "Auto";
  /** A registered protocol name; undefined means the same as the downstream's (MOSN's "Auto", "X" or absent). */
  readonly upstreamProtocol: string | undefined;
  readonly routerConfigName: string;
  /** How long a listener with several candidate protocols waits for enough bytes to tell. */
  readonly detectTimeoutMs: number;
  /** Append the client's address to X-Forwarded-For (and set X-Forwarded-Proto) on HTTP requests; default true. */
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
const SUPPORTED = ["Http1", "bolt", "boltv2", "dubbo"];
/** MOSN's multiplexed RPC family: `X` with `extend_config.sub_protocol` naming one of these. */
const SUB_PROTOCOLS = ["bolt", "boltv2", "dubbo"];
/** MOSN protocol names not built yet: a clear refusal rather than a "did you mean". */
const NOT_YET = ["Http2", "tars", "dubbothrift", "grpc"];

const DEFAULT_DETECT_TIMEOUT_MS = 10_000;

/** One protocol name as the config wrote it, in the registry's spelling. */
function knownProtocol(f: Fields, key: string, given: string, known: readonly string[]): string {
  const found = known.find((p) => p.toLowerCase() === given.toLowerCase());
  if (found !== undefined) return found;
  if (NOT_YET.some((p) => p.toLowerCase() === given.toLowerCase())) {
    f.fail(key, `protocol ${JSON.stringify(given)} is not supported yet (available: ${known.join(", ")})`);
  }
  f.fail(
    key,
    `unknown protocol ${describeValue(given)}${didYouMean(given, known) || ` (expected one of ${known.join(", ")})`}`,
  );
}

/** `X` stands for the RPC protocol named in `extend_config.sub_protocol` (MOSN's compatibility rule). */
function subProtocol(f: Fields, extend: Record<string, unknown> | undefined, key: string): string[] {
  const sub = extend?.["sub_protocol"];
  if (typeof sub !== "string" || sub.trim() === "") {
    f.fail(key, `"X" needs extend_config.sub_protocol naming the RPC protocol (${SUB_PROTOCOLS.join(", ")})`);
  }
  return sub.split(",").map((p) => knownProtocol(f, "extend_config.sub_protocol", p.trim(), SUB_PROTOCOLS));
}

function downstreamProtocols(f: Fields, extend: Record<string, unknown> | undefined): string[] | "Auto" {
  const given = f.optionalString("downstream_protocol");
  if (given === undefined || given === "" || given.toLowerCase() === "auto") return "Auto";
  if (given === "X") return subProtocol(f, extend, "downstream_protocol");
  return given.split(",").map((p) =>
    p.trim().toLowerCase() === "auto"
      ? f.fail("downstream_protocol", `"Auto" cannot be one of a list; use it alone`)
      : knownProtocol(f, "downstream_protocol", p.trim(), SUPPORTED)
  );
}

function upstreamProtocol(f: Fields, extend: Record<string, unknown> | undefined): string | undefined {
  const given = f.optionalString("upstream_protocol");
  if (given === undefined || given === "" || given.toLowerCase() === "auto") return undefined;
  // With X on both sides MOSN forwards each request in the sub-protocol it came in.
  if (given === "X") {
    subProtocol(f, extend, "upstream_protocol");
    return undefined;
  }
  return knownProtocol(f, "upstream_protocol", given, SUPPORTED);
}

/**
 * Validates a `proxy` filter's config. `router_config_name` is required and recorded for the
 * loader to check against the router configs; protocol names are MOSN's (`Http1`, `bolt`,
 * `dubbo`, `X` with `extend_config.sub_protocol`, `Auto`, or a comma-separated list to detect
 * among; an `upstream_protocol` of `Auto`, `X` or none means the downstream's). Throws ConfigError.
 */
export function parseProxyConfig(raw: unknown, path: string, ctx: ConfigContext): ProxyFilterConfig {
  const f = readObject(raw ?? {}, path, ctx, PROXY);
  const routerConfigName = f.requiredString("router_config_name");
  ctx.referenceRouter(f.pathOf("router_config_name"), routerConfigName);
  const extendRaw = f.get("extend_config");
  if (extendRaw !== undefined && (typeof extendRaw !== "object" || extendRaw === null || Array.isArray(extendRaw))) {
    f.fail("extend_config", `expected an object, got ${describeValue(extendRaw)}`);
  }
  const extend = extendRaw as Record<string, unknown> | undefined;
  const downstream = downstreamProtocols(f, extend);
  const upstream = upstreamProtocol(f, extend);
  // Its other keys configure protocols not built yet (http2_use_stream); only a value that asks
  // for something (not Go's zero value) is worth a warning.
  if (
    extend !== undefined &&
    Object.entries(extend).some(([k, v]) => k !== "sub_protocol" && v !== false && v !== 0 && v !== "" && v !== null)
  ) {
    f.ctx.warn(
      f.pathOf("extend_config"),
      "ignored except sub_protocol: it configures protocols isthmus does not serve yet",
    );
  }
  return Object.freeze({
    downstreamProtocols: downstream,
    upstreamProtocol: upstream,
    routerConfigName,
    detectTimeoutMs: f.duration("detect_timeout", DEFAULT_DETECT_TIMEOUT_MS),
    appendForwardedFor: f.boolean("append_x_forwarded_for", true),
    maxRequestBodyBytes: f.integer("max_request_body_bytes", 1024 * 1024, 1, MAX_BUFFER_LIMIT_BYTES),
    normalizePath: f.boolean("normalize_path", true),
  });
}

export const proxyConfigParser: NetworkFilterConfigParser<ProxyFilterConfig> = { parseConfig: parseProxyConfig };
