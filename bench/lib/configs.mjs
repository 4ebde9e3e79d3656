// Config files for the programs the bench starts, all bound to 127.0.0.1.
import { HOST } from "./ports.mjs";

/** isthmus: one listener whose tcp_proxy forwards every connection to one upstream host. */
export function isthmusTcpProxy(listenPort, upstreamPort) {
  return `servers:
  - listeners:
      - name: bench
        address: ${HOST}:${listenPort}
        bind_port: true
        filter_chains:
          - filters:
              - type: tcp_proxy
                config: { cluster: backend }
cluster_manager:
  clusters:
    - name: backend
      type: SIMPLE
      lb_type: LB_ROUNDROBIN
      hosts: [{ address: "${HOST}:${upstreamPort}" }]
`;
}

/** HAProxy in mode tcp with one thread, the same work as isthmus's tcp_proxy with one worker. */
export function haproxyTcp(listenPort, upstreamPort) {
  return `global
  nbthread 1
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend bench
  bind ${HOST}:${listenPort}
  default_backend upstream
backend upstream
  server up ${HOST}:${upstreamPort}
`;
}

/** nginx as the HTTP/1.1 upstream: one worker, keep-alive without limit, a fixed 200. */
export function nginxUpstream(dir, port) {
  return `# isthmus bench upstream (temporary)
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 10000; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen ${HOST}:${port} backlog=4096;
    location / { default_type text/plain; return 200 "hello, world\\n"; }
  }
}
`;
}

/**
 * isthmus as an HTTP/1.1 proxy: the `proxy` filter with a router that sends every request to one
 * cluster whose host is the upstream (the shape of examples/quickstart.yaml).
 */
export function isthmusHttpProxy(listenPort, upstreamPort) {
  return `servers:
  - listeners:
      - name: bench
        address: ${HOST}:${listenPort}
        bind_port: true
        filter_chains:
          - filters:
              - type: proxy
                config:
                  downstream_protocol: Http1
                  upstream_protocol: Http1
                  router_config_name: bench
    routers:
      - router_config_name: bench
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { prefix: "/" }
                route: { cluster_name: backend }
cluster_manager:
  clusters:
    - name: backend
      type: SIMPLE
      lb_type: LB_ROUNDROBIN
      hosts: [{ address: "${HOST}:${upstreamPort}" }]
`;
}

/**
 * nginx as the HTTP/1.1 reverse proxy to compare with: `proxy_pass` to an upstream block with
 * keep-alive connections, `workers` worker processes (a master process when more than one), no
 * request limit per connection on either side, X-Forwarded-For appended as isthmus does.
 */
export function nginxHttpProxy(dir, port, upstreamPort, workers) {
  return `# isthmus bench: nginx proxy_pass (temporary)
daemon off;
master_process ${workers > 1 ? "on" : "off"};
worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 10000; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  upstream backend {
    server ${HOST}:${upstreamPort};
    keepalive 256;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
  }
  server {
    listen ${HOST}:${port} backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

/**
 * isthmus as an RPC proxy, in MOSN's shape for X protocols: the `proxy` filter speaking `X` on
 * both sides with extend_config.sub_protocol naming the codec (bolt, dubbo), a router that sends
 * every request carrying a `service` header (".*": any service, as MOSN's RPC rule reads it) to
 * one cluster whose host is the upstream.
 */
export function isthmusRpcProxy(listenPort, upstreamPort, subProtocol) {
  return `servers:
  - listeners:
      - name: rpc
        address: ${HOST}:${listenPort}
        bind_port: true
        filter_chains:
          - filters:
              - type: proxy
                config:
                  downstream_protocol: X
                  upstream_protocol: X
                  extend_config: { sub_protocol: ${subProtocol} }
                  router_config_name: rpc
    routers:
      - router_config_name: rpc
        virtual_hosts:
          - name: all
            domains: ["*"]
            routers:
              - match: { headers: [{ name: service, value: ".*" }] }
                route: { cluster_name: backend }
cluster_manager:
  clusters:
    - name: backend
      type: SIMPLE
      lb_type: LB_RANDOM
      hosts: [{ address: "${HOST}:${upstreamPort}" }]
`;
}
