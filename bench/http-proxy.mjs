// Baseline HTTP/1.1 reverse proxy on Node: npm `http-proxy` behind a node:http server, with a
// keep-alive agent to the upstream and X-Forwarded-* added (as isthmus does). What a Node user
// gets from the usual package, not a ceiling. With WORKERS > 1, node:cluster workers share the
// listening socket (the same scheme as isthmus's --workers on node).
//   node bench/http-proxy.mjs LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT [WORKERS]   (LISTEN_PORT 0: any)
// Prints "http-proxy: listening on 127.0.0.1:PORT" once every worker accepts connections.
import cluster from "node:cluster";
import http from "node:http";
import httpProxy from "http-proxy";

const [listenPort = "0", upHost = "127.0.0.1", upPort, workersArg = "1"] = process.argv.slice(2);
const workers = Math.max(1, Number(workersArg) || 1);
if (!upPort) {
  process.stderr.write("usage: node bench/http-proxy.mjs LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT [WORKERS]\n");
  process.exit(2);
}

function serve(port, onListening) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024 });
  const proxy = httpProxy.createProxyServer({ target: `http://${upHost}:${upPort}`, agent, xfwd: true });
  proxy.on("error", (_err, _req, res) => {
    // A failed upstream exchange answers 502 when it can and never takes the process down.
    if (res.writeHead && !res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
    res.end?.("bad gateway\n");
  });
  const server = http.createServer({ keepAliveTimeout: 300_000 }, (req, res) => proxy.web(req, res));
  server.on("error", (err) => {
    process.stderr.write(`http-proxy: ${err.message}\n`);
    process.exit(1);
  });
  server.listen({ host: "127.0.0.1", port, backlog: 4096 }, () => onListening(server.address().port));
}

if (workers === 1) {
  serve(Number(listenPort), (port) => process.stdout.write(`http-proxy: listening on 127.0.0.1:${port}\n`));
} else if (cluster.isPrimary) {
  // The primary binds first so every worker shares one port, including when LISTEN_PORT is 0.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const probe = http.createServer();
  probe.listen({ host: "127.0.0.1", port: Number(listenPort) }, () => {
    const port = probe.address().port;
    probe.close();
    let ready = 0;
    for (let i = 0; i < workers; i++) {
      const w = cluster.fork({ HTTP_PROXY_PORT: String(port) });
      w.on("message", (m) => {
        if (m === "listening" && ++ready === workers) {
          process.stdout.write(`http-proxy: listening on 127.0.0.1:${port}\n`);
        }
      });
      w.on("exit", () => process.exit(1));
    }
  });
} else {
  serve(Number(process.env.HTTP_PROXY_PORT), () => process.send("listening"));
}
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
