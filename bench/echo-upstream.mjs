// Echo server for the connection churn measurement: every byte goes straight back, and the
// server ends its side when the client ends its own.
//   node bench/echo-upstream.mjs [PORT]   (0 or absent: any free port)
// Prints "echo-upstream: listening on 127.0.0.1:PORT" once it accepts connections.
import net from "node:net";

const server = net.createServer({ noDelay: true }, (s) => {
  s.on("error", () => {}); // a peer reset must not end the server
  s.pipe(s);
});
server.on("error", (err) => {
  process.stderr.write(`echo-upstream: ${err.message}\n`);
  process.exit(1);
});
server.listen({ host: "127.0.0.1", port: Number(process.argv[2] ?? 0), backlog: 4096 }, () => {
  process.stdout.write(`echo-upstream: listening on 127.0.0.1:${server.address().port}\n`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
