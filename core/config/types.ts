import type { LogLevel } from "../observe/logger.ts";
import type { Address } from "../net/address.ts";
import type { CidrRange } from "../net/cidr.ts";
import type { PortRange } from "../net/port-spec.ts";
import type { RouterConfig } from "../router/types.ts";

/**
 * The validated, frozen model built from a MOSN v2 config file. Field names are ours
 * (camelCase, durations in milliseconds); the file keeps MOSN's names.
 */
export interface IsthmusConfig {
  readonly servers: readonly ServerConfig[];
  readonly clusters: readonly ClusterConfig[];
  /**
   * Every router config by its `router_config_name`, from `servers[].routers[]` and
   * `connection_manager` filters alike (MOSN keeps one table for all servers).
   */
  readonly routers: ReadonlyMap<string, RouterConfig>;
}

export interface ServerConfig {
  readonly name: string;
  readonly listeners: readonly ListenerConfig[];
  /** MOSN's `graceful_timeout`: how long SIGTERM lets open connections finish; 0 = MOSN's 30 s. */
  readonly gracefulTimeoutMs: number;
  /** MOSN's `default_log_level`, as our level; undefined when not set (`--log-level` decides). */
  readonly logLevel: LogLevel | undefined;
}

export interface ListenerConfig {
  readonly name: string;
  readonly address: Address;
  /** MOSN's `bind_port`: false means the listener is virtual (not opened). Default true. */
  readonly bindPort: boolean;
  /**
   * `per_connection_buffer_limit_bytes` (ours: MOSN v0.26 ignores the key and fixes 32 KiB
   * without enforcing it): the write queue before backpressure. Default 64 KiB, at most 64 MiB.
   */
  readonly bufferLimitBytes: number;
  /**
   * MOSN's `connection_idle_timeout`: close a connection with no bytes either way for this long.
   * Default 90 s, as MOSN's for a listener without one; 0 disables, as in MOSN.
   */
  readonly idleTimeoutMs: number;
  readonly filterChains: readonly FilterChainConfig[];
  /** MOSN's listener `stream_filters`: run, in order, on every request of this listener's `proxy`. */
  readonly streamFilters: readonly StreamFilterConfig[];
}

/** One entry of `stream_filters[]`; `config` is whatever the filter's factory parsed. */
export interface StreamFilterConfig {
  readonly type: string;
  readonly config: unknown;
}

export interface FilterChainConfig {
  readonly filters: readonly NetworkFilterConfig[];
}

/** One entry of `filter_chains[].filters[]`; `config` is whatever the filter's factory parsed. */
export interface NetworkFilterConfig {
  readonly type: string;
  readonly config: unknown;
}

export type LbType = "LB_ROUNDROBIN" | "LB_RANDOM" | "LB_WEIGHTED_ROUNDROBIN" | "LB_LEAST_REQUEST";

export interface ClusterConfig {
  readonly name: string;
  /** MOSN cluster `type`: "SIMPLE" (static hosts) is what we run; others are rejected. */
  readonly type: string;
  readonly lbType: LbType;
  readonly hosts: readonly HostConfig[];
  /** Default 10s, as MOSN's; 0 in the file means the default, as in MOSN. */
  readonly connectTimeoutMs: number;
  /**
   * 0 (the default) means unlimited. MOSN turns 0 into 1024 but never enforces it, so its
   * connections are unlimited too.
   */
  readonly maxRequestPerConn: number;
  /**
   * The upstream write queue before backpressure. Default 64 KiB (MOSN's default is 16 KiB,
   * which it does not enforce; 0 in the file means the default, as in MOSN); at most 64 MiB.
   */
  readonly connBufferLimitBytes: number;
}

export interface HostConfig {
  readonly address: Address;
  readonly hostname: string;
  /** 1..128 as MOSN; default 1. */
  readonly weight: number;
}

/** `tcp_proxy` filter config (MOSN v2 TCPProxy). */
export interface TcpProxyConfig {
  readonly statPrefix: string;
  /** Used when no route matches (or there are none). */
  readonly cluster: string | undefined;
  readonly routes: readonly TcpRouteConfig[];
  /**
   * Set on the downstream connection in place of the listener's idle timeout. Default 90 s; 0
   * sets none, leaving the listener's `connection_idle_timeout` in force.
   */
  readonly idleTimeoutMs: number;
  /** Hosts tried per downstream connection before giving up; default 1. */
  readonly maxConnectAttempts: number;
}

export interface TcpRouteConfig {
  readonly cluster: string;
  /** Empty means any. */
  readonly sourceAddrs: readonly CidrRange[];
  readonly destinationAddrs: readonly CidrRange[];
  /** Empty means any; otherwise inclusive port ranges parsed from "80", "8000-8080", "80,443". */
  readonly sourcePorts: readonly PortRange[];
  readonly destinationPorts: readonly PortRange[];
}

/** `echo` filter config: writes every inbound byte back. */
export interface EchoConfig {
  readonly statPrefix: string;
}

/**
 * `connection_manager` filter config: an inline router config, which MOSN (before it deprecated
 * the filter) read as a router by `router_config_name` and installed nothing for.
 */
export interface ConnectionManagerConfig {
  readonly router: RouterConfig;
}
