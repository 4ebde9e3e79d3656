import type { ObjectSchema } from "./fields.ts";

/*
 * The keys of MOSN's router config objects (mosn/mosn pkg/config/v2/route.go at v0.26.0:
 * RouterConfigurationConfig, VirtualHost, RouterConfig, RouterMatch, RouterActionConfig, ...),
 * plus Envoy's `query_parameters`, which MOSN's RouterMatch lacks. Keys that MOSN reads and that
 * would change which requests a route takes, or where they go, are in `fields` and handled by
 * the reader (load-routes.ts), which refuses them when they would apply: ignoring them would
 * route differently from MOSN without a word.
 */

export const ROUTER_CONFIGURATION: ObjectSchema = {
  fields: [
    "router_config_name",
    "virtual_hosts",
    "request_headers_to_add",
    "request_headers_to_remove",
    "response_headers_to_add",
    "response_headers_to_remove",
  ],
  mosnOnly: [
    {
      key: "router_configs",
      // Ignoring it would leave every virtual host in that directory missing.
      refuse: (value) =>
        typeof value === "string" && value !== ""
          ? "loading virtual hosts from a directory is not supported yet; list them in virtual_hosts"
          : undefined,
    },
  ],
};

export const VIRTUAL_HOST: ObjectSchema = {
  fields: [
    "name",
    "domains",
    "routers",
    "request_headers_to_add",
    "request_headers_to_remove",
    "response_headers_to_add",
    "response_headers_to_remove",
  ],
  // MOSN reads require_tls but does not use it ("not used yet" in route.go); per_filter_config
  // configures stream filters, which are not built yet.
  mosnOnly: ["require_tls", "per_filter_config"],
};

export const ROUTE: ObjectSchema = {
  fields: ["match", "route", "redirect", "direct_response", "request_mirror_policies"],
  // metadata feeds subset load balancing, which is not built yet.
  mosnOnly: ["metadata", "per_filter_config"],
};

export const ROUTE_MATCH: ObjectSchema = {
  fields: ["prefix", "path", "regex", "headers", "query_parameters", "variables", "dsl_expressions"],
};

export const ROUTE_ACTION: ObjectSchema = {
  fields: [
    "cluster_name",
    "cluster_header",
    "weighted_clusters",
    "cluster_variable",
    "upstream_protocol",
    "timeout",
    "retry_policy",
    "prefix_rewrite",
    "regex_rewrite",
    "host_rewrite",
    "auto_host_rewrite",
    "auto_host_rewrite_header",
    "request_headers_to_add",
    "request_headers_to_remove",
    "response_headers_to_add",
    "response_headers_to_remove",
  ],
  // hash_policy feeds hash balancers and metadata_match subset balancing; neither is built yet.
  mosnOnly: ["hash_policy", "metadata_match"],
};

export const WEIGHTED_CLUSTER: ObjectSchema = { fields: ["cluster"] };

export const CLUSTER_WEIGHT: ObjectSchema = {
  fields: ["name", "weight"],
  mosnOnly: ["metadata_match"],
};

/** `match.headers[]` and `match.query_parameters[]` entries. */
export const KEY_VALUE_MATCHER: ObjectSchema = { fields: ["name", "value", "regex"] };

export const HEADER_VALUE_OPTION: ObjectSchema = { fields: ["header", "append"] };

export const HEADER_VALUE: ObjectSchema = { fields: ["key", "value"] };

export const REDIRECT: ObjectSchema = {
  fields: ["response_code", "path_redirect", "host_redirect", "scheme_redirect"],
};

export const DIRECT_RESPONSE: ObjectSchema = { fields: ["status", "body"] };

export const RETRY_POLICY: ObjectSchema = { fields: ["retry_on", "retry_timeout", "num_retries", "status_codes"] };

export const MIRROR_POLICY: ObjectSchema = {
  fields: ["cluster", "percent"],
  // Marks mirrored requests as sampled for tracing: MOSN reads it and acts on it nowhere (its
  // own source says so), and isthmus has no tracing, so it is ignored with the usual warning.
  mosnOnly: ["trace_sampled"],
};
