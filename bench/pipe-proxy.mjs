// Baseline L4 proxy on Node's sockets: accept, connect upstream, pipe both ways. A baseline, not
// a ceiling: a proxy with its own buffering and flow control can beat stream.pipe.
//   node bench/pipe-proxy.mjs LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT   (LISTEN_PORT 0: any)
// Prints "pipe-proxy: listening on 127.0.0.1:PORT" once it accepts connections.
import net from "node:net";

const [listenPort = "0", upHost = "127.0.0.1", upPort] = process.argv.slice(2);
if (!upPort) {
  process.stderr.write("usage: node bench/pipe-proxy.mjs LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT\n");
  process.exit(2);
}

const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (down) => {
  const up = net.connect({ host: upHost, port: Number(upPort), noDelay: true, allowHalfOpen: true });
  down.pipe(up);
  up.pipe(down);
  down.on("error", () => up.destroy());
  up.on("error", () => down.destroy());
  down.on("close", () => up.destroy());
  up.on("close", () => down.destroy());
});
server.on("error", (err) => {
  process.stderr.write(`pipe-proxy: ${err.message}\n`);
  process.exit(1);
});
server.listen({ host: "127.0.0.1", port: Number(listenPort), backlog: 4096 }, () => {
  process.stdout.write(`pipe-proxy: listening on 127.0.0.1:${server.address().port}\n`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
