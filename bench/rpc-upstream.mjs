// Pre-encoded RPC upstream for the rpc scenario: a node:net server on 127.0.0.1 that cuts request
// frames (SOFARPC Bolt or Dubbo, bench/lib/rpc-frames.mjs) by length and answers each with the
// same pre-encoded response, the request's id copied in; all answers to one read go out in one
// write. Heartbeats (Bolt cmdcode 0, Dubbo event) get a heartbeat answer, oneway requests none.
//   node bench/rpc-upstream.mjs bolt|dubbo [PORT]   (0 or absent: any free port)
// Prints "rpc-upstream: listening on 127.0.0.1:PORT" once it accepts connections, then
// "rpc-upstream: accepted N" at every connection it accepts (N counts from 1): the bench reads
// how many upstream connections a proxy opened from it.
import net from "node:net";
import { codecFor } from "./lib/rpc-frames.mjs";
import { Responder } from "./lib/rpc-peers.mjs";

let codec;
try {
  codec = codecFor(process.argv[2] ?? "");
} catch (err) {
  process.stderr.write(`rpc-upstream: ${err.message}\nusage: node bench/rpc-upstream.mjs bolt|dubbo [PORT]\n`);
  process.exit(2);
}
const RESPONSE = codec.response();
const HEARTBEAT = codec.heartbeatResponse();

let accepted = 0;
const server = net.createServer({ noDelay: true }, (s) => {
  accepted++;
  process.stdout.write(`rpc-upstream: accepted ${accepted}\n`);
  const responder = new Responder(codec, RESPONSE, HEARTBEAT);
  s.on("data", (chunk) => {
    const out = responder.answer(chunk);
    if (out === false) {
      process.stderr.write(`rpc-upstream: bytes that are not ${codec.name} frames; closing the connection\n`);
      s.destroy();
    } else if (out !== null) s.write(out);
  });
  s.on("error", () => {});
});
server.on("error", (err) => {
  process.stderr.write(`rpc-upstream: ${err.message}\n`);
  process.exit(1);
});
server.listen({ host: "127.0.0.1", port: Number(process.argv[3] ?? 0), backlog: 4096 }, () => {
  process.stdout.write(`rpc-upstream: listening on 127.0.0.1:${server.address().port} (${codec.name})\n`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
