import { ConfigError } from "../errors.ts";
import { parseAddress } from "../net/address.ts";
import type { ConfigContext } from "./context.ts";
import { type Fields, readObject } from "./fields.ts";
import { describeValue, didYouMean } from "./keys.ts";
import { MAX_BUFFER_LIMIT_BYTES, UINT32_MAX } from "./limits.ts";
import { CLUSTER, CLUSTER_MANAGER, HOST } from "./schemas.ts";
import type { ClusterConfig, HostConfig, LbType } from "./types.ts";

// MOSN's default connect timeout (network.DefaultConnectTimeout).
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/**
 * Not MOSN's 16 KiB (configmanager DefaultConnBufferLimitBytes): MOSN records that number on
 * each upstream connection but never enforces it, while here it is the write queue at which the
 * other side is paused, and a single read (64 KiB on node, up to 512 KiB on Bun) would pass
 * 16 KiB and pause it every time. The same as the listener default, so both directions of a
 * tcp_proxy match.
 */
export const DEFAULT_CONN_BUFFER_LIMIT_BYTES = 64 * 1024;
/** MOSN clamps host weights into this range (configmanager transHostWeight). */
const MIN_WEIGHT = 1;
const MAX_WEIGHT = 128;

const STATIC_TYPES = ["SIMPLE", "STATIC"];
// MOSN runs an unregistered type as SIMPLE, but these resolve or discover hosts, which static
// hosts cannot stand in for.
const UNSUPPORTED_TYPES = ["DYNAMIC", "EDS", "ORIGINAL_DST", "STRICT_DNS"];

const LB_TYPES: readonly LbType[] = ["LB_ROUNDROBIN", "LB_RANDOM", "LB_WEIGHTED_ROUNDROBIN", "LB_LEAST_REQUEST"];
// MOSN balancers we lack. MOSN itself falls back to round robin for a type it has not
// registered, so the same fallback keeps these configs running; a warning says so.
const MOSN_ONLY_LB_TYPES = [
  "LB_ORIGINAL_DST",
  "LB_MAGLEV",
  "LB_REQUEST_ROUNDROBIN",
  "LB_LEAST_CONNECTION",
  "LB_PEAK_EWMA",
];

/**
 * Reads `cluster_manager.clusters[]` into frozen ClusterConfigs. Cluster names must be unique.
 * Throws ConfigError; warnings go to `ctx`.
 */
export function readClusters(top: Fields, ctx: ConfigContext): ClusterConfig[] {
  const manager = top.object("cluster_manager", CLUSTER_MANAGER);
  const seen = new Map<string, string>();
  return manager.list("clusters").map((item) => {
    const cluster = readCluster(item.value, item.path, ctx);
    const earlier = seen.get(cluster.name);
    if (earlier !== undefined) {
      throw new ConfigError(
        `${item.path}.name`,
        `duplicate cluster name ${JSON.stringify(cluster.name)} (also ${earlier})`,
      );
    }
    seen.set(cluster.name, item.path);
    return cluster;
  });
}

function readCluster(raw: unknown, path: string, ctx: ConfigContext): ClusterConfig {
  const f: Fields = readObject(raw, path, ctx, CLUSTER);
  const name = f.requiredString("name");
  const hosts = f.list("hosts").map((item) => readHost(item.value, item.path, ctx));
  if (hosts.length === 0) ctx.warn(f.pathOf("hosts"), "cluster has no hosts; connections routed to it will fail");
  // Go leaves these uint32 fields at zero when absent, and MOSN reads zero as "use the default".
  const bufferLimit = f.integer("conn_buffer_limit_bytes", 0, 0, MAX_BUFFER_LIMIT_BYTES);
  const connectTimeout = f.duration("connect_timeout", 0);
  return Object.freeze({
    name,
    type: clusterType(f),
    lbType: lbType(f),
    hosts: Object.freeze(hosts),
    connectTimeoutMs: connectTimeout === 0 ? DEFAULT_CONNECT_TIMEOUT_MS : connectTimeout,
    // MOSN fills in 1024 for 0 (configmanager DefaultMaxRequestPerConn) but nothing in MOSN reads
    // it, so its connections carry any number of requests: 0 keeps that meaning here.
    maxRequestPerConn: f.integer("max_request_per_conn", 0, 0, UINT32_MAX),
    connBufferLimitBytes: bufferLimit === 0 ? DEFAULT_CONN_BUFFER_LIMIT_BYTES : bufferLimit,
  });
}

function clusterType(f: Fields): string {
  const given = f.string("type", "SIMPLE");
  const upper = given.toUpperCase();
  if (STATIC_TYPES.includes(upper)) return upper;
  if (UNSUPPORTED_TYPES.includes(upper)) {
    f.fail(
      "type",
      `cluster type ${upper} is not supported yet; isthmus runs static clusters (SIMPLE or STATIC) with listed hosts`,
    );
  }
  f.fail("type", `unknown cluster type ${describeValue(given)}${didYouMean(given, STATIC_TYPES)}`);
}

function lbType(f: Fields): LbType {
  const given = f.string("lb_type", "LB_ROUNDROBIN");
  const upper = given.toUpperCase();
  const known = LB_TYPES.find((t) => t === upper);
  if (known !== undefined) return known;
  if (MOSN_ONLY_LB_TYPES.includes(upper)) {
    f.ctx.warn(f.pathOf("lb_type"), `${upper} is not supported yet, using LB_ROUNDROBIN`);
    return "LB_ROUNDROBIN";
  }
  const hint = didYouMean(given, LB_TYPES);
  f.fail(
    "lb_type",
    `unknown load balancer ${describeValue(given)}${hint || ` (expected one of ${LB_TYPES.join(", ")})`}`,
  );
}

function readHost(raw: unknown, path: string, ctx: ConfigContext): HostConfig {
  const f: Fields = readObject(raw, path, ctx, HOST);
  const text = f.requiredString("address");
  if (text.startsWith("unix:") || text.startsWith("/")) {
    f.fail("address", `unix socket hosts are not supported yet, got ${JSON.stringify(text)}`);
  }
  const address = parseAddress(text);
  if (typeof address === "string") f.fail("address", address);
  if (address.port === 0) f.fail("address", `port 0 cannot be connected to, got ${JSON.stringify(text)}`);
  let weight = f.integer("weight", MIN_WEIGHT, 0, UINT32_MAX);
  if (weight < MIN_WEIGHT) weight = MIN_WEIGHT;
  if (weight > MAX_WEIGHT) {
    ctx.warn(f.pathOf("weight"), `${weight} is above MOSN's maximum ${MAX_WEIGHT}, using ${MAX_WEIGHT}`);
    weight = MAX_WEIGHT;
  }
  return Object.freeze({ address: Object.freeze(address), hostname: f.string("hostname", ""), weight });
}
