import { loadConfig } from "../../core/config/load.ts";
import type { Runtime } from "../../core/net/runtime.ts";
import { Logger, type LogLevel } from "../../core/observe/logger.ts";
import { createDefaultRegistry, type Registry } from "../../core/registry.ts";
import { Server } from "../../core/server/server.ts";

export interface TestProxy {
  server: Server;
  logs: string[];
  port(listener: string): number;
  stat(name: string): number;
  stop(): Promise<void>;
}

/** Loads a YAML/JSON config the way `isthmus start` does and starts it on `runtime`. */
export async function startProxy(
  runtime: Runtime,
  configText: string,
  opts: { level?: LogLevel; registry?: Registry; random?: () => number } = {},
): Promise<TestProxy> {
  const registry = opts.registry ?? createDefaultRegistry();
  const { config } = loadConfig(configText, "test.yaml", registry);
  const logs: string[] = [];
  const server = new Server(config, {
    runtime,
    registry,
    logger: new Logger((l) => logs.push(l), opts.level ?? "info"),
    random: opts.random,
  });
  await server.start();
  return {
    server,
    logs,
    port: (name) => server.listenerAddress(name)!.port,
    stat: (name) => server.stats.snapshot()[name] ?? 0,
    stop: () => server.stop(),
  };
}

/** A tcp_proxy listener on port 0 in front of `hosts`. */
export function tcpProxyYaml(
  hosts: string[],
  opts: {
    lb?: string;
    attempts?: number;
    connectTimeout?: string;
    idle?: string;
    extraFilter?: string;
    bufferLimit?: number;
  } = {},
): string {
  return `
servers:
  - listeners:
      - name: proxy
        address: 127.0.0.1:0
        bind_port: true
        ${opts.bufferLimit ? `per_connection_buffer_limit_bytes: ${opts.bufferLimit}` : ""}
        filter_chains:
          - filters:
              - type: tcp_proxy
                config:
                  cluster: backend
                  max_connect_attempts: ${opts.attempts ?? 1}
                  ${opts.idle ? `idle_timeout: ${opts.idle}` : ""}
cluster_manager:
  clusters:
    - name: backend
      type: SIMPLE
      lb_type: ${opts.lb ?? "LB_ROUNDROBIN"}
      connect_timeout: ${opts.connectTimeout ?? "3s"}
      ${opts.bufferLimit ? `conn_buffer_limit_bytes: ${opts.bufferLimit}` : ""}
      hosts:
${hosts.map((h) => `        - address: ${h}`).join("\n")}
`;
}
