#!/usr/bin/env node
// Sends one line through the quickstart proxy and prints what the echo behind it sends back:
//   node examples/hello.mjs [port] [text]        (default 2047, "hello isthmus")
// Needs nothing but node, and returns as soon as the answer is in (the proxy passes our FIN on,
// the echo listener answers it with its own).
import { connect } from "node:net";

const port = Number(process.argv[2] ?? 2047);
const text = process.argv[3] ?? "hello isthmus";
const socket = connect({ host: "127.0.0.1", port }, () => socket.end(text + "\n"));
socket.pipe(process.stdout);
socket.on("error", (err) => {
  process.stderr.write(`hello: ${err.message} (is \`npm start\` running?)\n`);
  process.exitCode = 1;
});
setTimeout(() => {
  process.stderr.write("hello: no answer within 5 s\n");
  process.exit(1);
}, 5000).unref();
