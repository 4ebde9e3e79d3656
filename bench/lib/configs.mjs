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
