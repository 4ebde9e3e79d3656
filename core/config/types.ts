import type { Address } from "../net/address.ts";

/**
 * The validated, frozen model built from a MOSN v2 config file. Field names are ours
 * (camelCase, durations in milliseconds); the file keeps MOSN's names.
 */
export interface IsthmusConfig {
  readonly servers: readonly ServerConfig[];
  readonly clusters: readonly ClusterConfig[];
}

export interface ServerConfig {
  readonly name: string;
  readonly listeners: readonly ListenerConfig[];
  /** MOSN's `graceful_timeout`: how long SIGTERM lets open connections finish; 0 = MOSN's 30 s. */
  readonly gracefulTimeoutMs: number;
}

export interface ListenerConfig {
  readonly name: string;
  readonly address: Address;
  /** MOSN's `bind_port`: false means the listener is virtual (not opened). Default true. */
  readonly bindPort: boolean;
  /** MOSN's `per_connection_buffer_limit_bytes`; default 64 KiB. */
  readonly bufferLimitBytes: number;
  /** MOSN's `connection_idle_timeout`; 0 disables. Default 0 (MOSN's default is per-protocol). */
  readonly idleTimeoutMs: number;
  readonly filterChains: readonly FilterChainConfig[];
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
  /** 0 means unlimited. */
  readonly maxRequestPerConn: number;
  /** Default 64 KiB. */
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
  /** 0 disables. */
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

export interface CidrRange {
  readonly address: string;
  readonly length: number;
}

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** `echo` filter config: writes every inbound byte back. */
export interface EchoConfig {
  readonly statPrefix: string;
}
