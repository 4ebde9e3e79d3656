// npm-free fallback load generator (used when wrk is not installed): N keep-alive HTTP/1.1
// connections over node:net, each sending GET / and waiting for the whole response before the
// next one (like wrk), for a fixed duration. Prints one JSON line:
//   {"requests","seconds","rps","p50Ms","p90Ms","p99Ms","maxMs","errors":{connect,read,write,timeout,status}}
//   node bench/loadgen.mjs HOST PORT CONNECTIONS SECONDS
// A request not answered within 2 s counts as a timeout and its connection is replaced.
import net from "node:net";

const [host = "127.0.0.1", portArg, connArg = "50", secArg = "10"] = process.argv.slice(2);
const port = Number(portArg);
const connections = Math.max(1, Number(connArg));
const seconds = Math.max(0.1, Number(secArg));
if (!port) {
  process.stderr.write("usage: node bench/loadgen.mjs HOST PORT CONNECTIONS SECONDS\n");
  process.exit(2);
}

const TIMEOUT_MS = 2000;
const REQUEST = Buffer.from(`GET / HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`, "latin1");
const CRLF2 = Buffer.from("\r\n\r\n");
const errors = { connect: 0, read: 0, write: 0, timeout: 0, status: 0 };
let latencies = new Float64Array(1 << 16); // milliseconds
let count = 0;
let stopped = false;
const clients = new Set();

function record(ms) {
  if (count === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[count++] = ms;
}

function contentLength(head) {
  const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  return m ? Number(m[1]) : -1;
}

function client() {
  if (stopped) return;
  const c = { sentAt: 0, socket: null };
  const s = net.connect({ host, port, noDelay: true });
  c.socket = s;
  clients.add(c);
  let connected = false;
  let buf = null;
  const send = () => {
    if (stopped) return;
    c.sentAt = performance.now();
    s.write(REQUEST);
  };
  s.on("connect", () => {
    connected = true;
    send();
  });
  s.on("data", (chunk) => {
    buf = buf === null ? chunk : Buffer.concat([buf, chunk]);
    const headEnd = buf.indexOf(CRLF2);
    if (headEnd < 0) return;
    const head = buf.toString("latin1", 0, headEnd);
    const len = contentLength(head);
    if (len < 0) {
      errors.read++;
      s.destroy();
      return;
    }
    const total = headEnd + 4 + len;
    if (buf.length < total) return;
    if (buf.length > total) errors.read++; // we never pipeline: extra bytes are a protocol error
    const status = Number(head.slice(9, 12));
    if (!(status >= 200 && status < 400)) errors.status++;
    buf = null;
    if (!stopped) record(performance.now() - c.sentAt);
    c.sentAt = 0;
    send();
  });
  s.on("error", (err) => {
    if (stopped) return;
    if (!connected) errors.connect++;
    else if (err.code === "EPIPE") errors.write++;
    else errors.read++;
  });
  s.on("close", () => {
    clients.delete(c);
    if (!stopped) setTimeout(client, connected ? 0 : 100); // keep N connections open
  });
}

const started = performance.now();
for (let i = 0; i < connections; i++) client();
const watchdog = setInterval(() => {
  const now = performance.now();
  for (const c of clients) {
    if (c.sentAt !== 0 && now - c.sentAt > TIMEOUT_MS) {
      errors.timeout++;
      c.sentAt = 0;
      c.socket.destroy();
    }
  }
}, 250);

setTimeout(() => {
  stopped = true;
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(watchdog);
  for (const c of clients) c.socket.destroy();
  const sorted = latencies.subarray(0, count).sort();
  const q = (p) => (count === 0 ? null : sorted[Math.min(count - 1, Math.floor(p * count))]);
  process.stdout.write(
    JSON.stringify({
      requests: count,
      seconds: elapsed,
      rps: count / elapsed,
      p50Ms: q(0.5),
      p90Ms: q(0.9),
      p99Ms: q(0.99),
      maxMs: count === 0 ? null : sorted[count - 1],
      errors,
    }) + "\n",
  );
  setTimeout(() => process.exit(0), 50);
}, seconds * 1000);
