// Built-in benchmark upstream: a raw node:net HTTP/1.1 keep-alive server that answers every
// request with the same canned 200 response (13-byte body). It parses just enough to count
// requests (each ends at CRLFCRLF; request bodies are not supported, the load generators send
// GETs), so pipelined requests get one response each, written in a single buffer.
//   node bench/upstream.mjs [PORT]   (0 or absent: any free port)
// Prints "upstream: listening on 127.0.0.1:PORT" once it accepts connections.
import net from "node:net";

const BODY = "hello, world\n";
const RESPONSE = Buffer.from(
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" +
    `Content-Length: ${BODY.length}\r\nConnection: keep-alive\r\n\r\n${BODY}`,
  "latin1",
);
const many = [RESPONSE];
function responses(n) {
  while (many.length < n) many.push(Buffer.concat([many[many.length - 1], RESPONSE]));
  return many[n - 1];
}

const server = net.createServer({ noDelay: true }, (s) => {
  let state = 0; // how many bytes of "\r\n\r\n" have been matched so far
  s.on("data", (chunk) => {
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === ((state & 1) === 0 ? 13 : 10)) {
        if (++state === 4) {
          n++;
          state = 0;
        }
      } else state = b === 13 ? 1 : 0;
    }
    if (n > 0) s.write(n <= 64 ? responses(n) : Buffer.concat(Array(n).fill(RESPONSE)));
  });
  s.on("error", () => {});
});
server.on("error", (err) => {
  process.stderr.write(`upstream: ${err.message}\n`);
  process.exit(1);
});
server.listen({ host: "127.0.0.1", port: Number(process.argv[2] ?? 0), backlog: 4096 }, () => {
  process.stdout.write(`upstream: listening on 127.0.0.1:${server.address().port}\n`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
