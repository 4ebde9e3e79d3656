import type { MosnOnlyField, ObjectSchema } from "./fields.ts";
import { normalizeKey } from "./keys.ts";

/*
 * The keys of each MOSN v2 config object (mosn/mosn pkg/config/v2: config.go MOSNConfig,
 * server.go ServerConfig/ListenerConfig/FilterChainConfig/Filter, upstream.go
 * ClusterManagerConfigJson/Cluster/HostConfig), split into those we act on and those we only
 * warn about. A few keys come from older MOSN releases whose sample configs still carry them.
 */

function fieldOf(raw: unknown, key: string): unknown {
  if (typeof raw !== "object" || raw === null) return undefined;
  const wanted = normalizeKey(key);
  for (const [k, v] of Object.entries(raw)) if (normalizeKey(k) === wanted) return v;
  return undefined;
}

// Serving plaintext where the file asks for TLS would be a silent downgrade, so TLS that is
// switched on is refused rather than ignored.
const TLS_REFUSAL = "TLS is not supported yet (set status to false or remove it)";

const tlsContext = (key: string): MosnOnlyField => ({
  key,
  refuse: (value) => (fieldOf(value, "status") === true ? TLS_REFUSAL : undefined),
});

const tlsContextSet: MosnOnlyField = {
  key: "tls_context_set",
  refuse: (
    value,
  ) => (Array.isArray(value) && value.some((c) => fieldOf(c, "status") === true) ? TLS_REFUSAL : undefined),
};

export const TOP_LEVEL: ObjectSchema = {
  fields: ["servers", "cluster_manager"],
  mosnOnly: [
    "disable_upgrade",
    "close_graceful",
    "inherit_old_mosnconfig",
    "tracing",
    "metrics",
    "dynamic_resources",
    "static_resources",
    "node",
    "admin",
    "pprof",
    "pid",
    "uds_dir",
    "plugin",
    "third_part_codec",
    "extends",
    "wasm_global_plugins",
  ],
};

export const SERVER: ObjectSchema = {
  fields: ["mosn_server_name", "listeners", "graceful_timeout", "routers", "default_log_level"],
  mosnOnly: [
    "default_log_path",
    "global_log_roller",
    "use_netpoll_mode",
    "processor",
    // Dropped from MOSN in 2022; older configs still set it.
    "optimize_local_write",
  ],
};

export const LISTENER: ObjectSchema = {
  fields: [
    "name",
    "address",
    "bind_port",
    "network",
    "per_connection_buffer_limit_bytes",
    "connection_idle_timeout",
    "filter_chains",
    "stream_filters",
  ],
  mosnOnly: [
    "type",
    "reuseport",
    "use_original_dst",
    "access_logs",
    "listener_filters",
    "inspector",
    "default_read_buffer_size",
    // Listener-level logging from MOSN before 0.10; its examples still carry log_path.
    "log_path",
    "log_level",
  ],
};

export const FILTER_CHAIN: ObjectSchema = {
  fields: ["filters"],
  mosnOnly: ["match", tlsContext("tls_context"), tlsContextSet],
};

export const FILTER: ObjectSchema = {
  fields: ["type", "config"],
  mosnOnly: ["go_plugin_config"],
};

export const CLUSTER_MANAGER: ObjectSchema = {
  fields: ["clusters"],
  mosnOnly: [
    tlsContext("tls_context"),
    "cluster_pool_enable",
    {
      key: "clusters_configs",
      // Ignoring it would leave every cluster in that directory missing.
      refuse: (value) =>
        typeof value === "string" && value !== ""
          ? "loading clusters from a directory is not supported yet; list them in cluster_manager.clusters"
          : undefined,
    },
  ],
};

export const CLUSTER: ObjectSchema = {
  fields: ["name", "type", "lb_type", "hosts", "connect_timeout", "max_request_per_conn", "conn_buffer_limit_bytes"],
  mosnOnly: [
    "sub_type",
    "mark",
    "circuit_breakers",
    "health_check",
    "spec",
    "lb_subset_config",
    "original_dst_lb_config",
    { key: "cluster_manager_tls", refuse: (value) => (value === true ? TLS_REFUSAL : undefined) },
    tlsContext("tls_context"),
    "keepalive",
    "idle_timeout",
    "lbconfig",
    "dns_refresh_rate",
    "respect_dns_ttl",
    "dns_lookup_family",
    "dns_resolvers",
    "dns_resolver_file",
    "dns_resolver_port",
    "slow_start",
    "cluster_pool_enable",
  ],
};

export const HOST: ObjectSchema = {
  fields: ["address", "hostname", "weight"],
  mosnOnly: ["metadata", "tls_disable"],
};
