// Pipelined RPC load generator (SOFARPC Bolt or Dubbo): CONNECTIONS connections to HOST:PORT,
// each keeping INFLIGHT requests in flight for SECONDS (or until MAX_REQUESTS were answered).
// Every request is the same pre-encoded frame (bench/lib/rpc-frames.mjs) with a fresh id patched
// in; answers are cut by frame length, matched by id and timed into a histogram. All requests a
// read's answers free are sent in one write, from a ring of frames reused for the whole run: no
// allocation, promise or timer per request. Prints one JSON line:
//   {"requests","seconds","rps","p50Ms","p90Ms","p99Ms","maxMs","errors":{connect,read,timeout,
//    status,unknownId,protocol},"unknownIds","heartbeats","connectionsOpened",...}
//   node bench/rpc-loadgen.mjs HOST PORT bolt|dubbo CONNECTIONS INFLIGHT SECONDS [MAX_REQUESTS]
// requests counts every answer matched to its request (status errors included, as wrk counts
// non-2xx); errors.status those whose status is not OK (Bolt: u16 at 10 not 0; Dubbo: byte 3
// not 20); unknownIds answers with an id no request in flight has. A connection whose oldest
// request waits more than 2 s counts its requests in flight as timeouts and is replaced.
import net from "node:net";
import { codecFor, FrameSplitter } from "./lib/rpc-frames.mjs";
import { LatencyHistogram, Pipeline } from "./lib/rpc-peers.mjs";

const USAGE = "usage: node bench/rpc-loadgen.mjs HOST PORT bolt|dubbo CONNECTIONS INFLIGHT SECONDS [MAX_REQUESTS]\n";
const [host = "127.0.0.1", portArg, protoArg = "bolt", connArg = "4", inflightArg = "64", secArg = "10", maxArg] =
  process.argv.slice(2);
const port = Number(portArg);
const connections = Math.max(1, Math.floor(Number(connArg)));
const inflight = Math.max(1, Math.floor(Number(inflightArg)));
const seconds = Math.max(0.1, Number(secArg));
const maxRequests = maxArg === undefined ? 1e9 : Math.max(1, Math.floor(Number(maxArg)));
let codec;
try {
  codec = codecFor(protoArg);
} catch (err) {
  process.stderr.write(`${err.message}\n${USAGE}`);
  process.exit(2);
}
if (!port || !Number.isFinite(connections) || !Number.isFinite(inflight)) {
  process.stderr.write(USAGE);
  process.exit(2);
}

const TIMEOUT_MS = 2000;
const TEMPLATE = codec.request();
const HEARTBEAT_ANSWER = codec.heartbeatResponse();
// Bolt ids are u32: each connection gets 2^24 of them (wrapping within); Dubbo's are u64: the high
// half is the connection's number, so an answer crossing connections or losing its high half shows.
const ID_RANGE = codec.name === "bolt" ? 2 ** 24 : 2 ** 32;
const idBase = (n) => (codec.name === "bolt" ? (n % 256) * 2 ** 24 : (n + 1) * 2 ** 32);

const errors = { connect: 0, read: 0, timeout: 0, status: 0, unknownId: 0, protocol: 0 };
const hist = new LatencyHistogram();
let answered = 0; // matched answers within the run
let sent = 0;
let heartbeats = 0;
let opened = 0;
let stopped = false;
const clients = new Set();

function client() {
  if (stopped) return;
  const number = opened++;
  const pipeline = new Pipeline(codec, TEMPLATE, inflight, idBase(number), ID_RANGE);
  const s = net.connect({ host, port, noDelay: true });
  const c = { s, pipeline, connected: false };
  clients.add(c);
  const write = (buf) => s.write(buf);
  const sendUpTo = (k, now) => {
    const room = maxRequests - sent;
    if (stopped || room <= 0) return;
    s.cork();
    sent += pipeline.send(k < room ? k : room, now, write);
    s.uncork();
  };
  let now = 0;
  let toSend = 0;
  const onData = (chunk) => {
    now = performance.now();
    toSend = 0;
    if (!splitter.feed(chunk)) {
      errors.protocol++;
      s.destroy();
      return;
    }
    if (toSend > 0) sendUpTo(toSend, now);
    if (sent >= maxRequests && totalOutstanding() === 0) finish();
  };
  const frame = (b, o) => {
    if (codec.isRequest(b, o)) {
      // The peer's heartbeat: answer it; any other request is not ours to serve.
      if (codec.isHeartbeat(b, o) && codec.isTwoWay(b, o)) {
        heartbeats++;
        const ack = Buffer.from(HEARTBEAT_ANSWER);
        codec.writeId(ack, 0, codec.readId(b, o));
        s.write(ack);
      } else errors.protocol++;
      return;
    }
    const ms = pipeline.complete(b, o, now);
    if (ms < 0) {
      errors.unknownId++;
      return;
    }
    toSend++;
    if (stopped) return;
    if (!codec.isOk(b, o)) errors.status++;
    answered++;
    hist.record(ms * 1000);
  };
  const splitter = new FrameSplitter(codec, frame);
  s.on("connect", () => {
    c.connected = true;
    sendUpTo(inflight, performance.now());
  });
  s.on("data", onData);
  s.on("error", () => {
    if (stopped) return;
    if (!c.connected) errors.connect++;
    else errors.read++;
  });
  s.on("close", () => {
    clients.delete(c);
    if (!stopped) setTimeout(client, c.connected ? 0 : 100); // keep CONNECTIONS open
  });
}

function totalOutstanding() {
  let n = 0;
  for (const c of clients) n += c.pipeline.outstanding;
  return n;
}

const started = performance.now();
for (let i = 0; i < connections; i++) client();

const watchdog = setInterval(() => {
  const now = performance.now();
  for (const c of clients) {
    if (now - c.pipeline.oldestSentAt() > TIMEOUT_MS) {
      errors.timeout += c.pipeline.outstanding;
      c.s.destroy();
    }
  }
}, 250);
const deadline = setTimeout(finish, seconds * 1000);

function finish() {
  if (stopped) return;
  stopped = true;
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(watchdog);
  clearTimeout(deadline);
  for (const c of clients) c.s.destroy();
  const ms = (q) => {
    const us = hist.quantile(q);
    return us === null ? null : us / 1000;
  };
  process.stdout.write(
    JSON.stringify({
      requests: answered,
      seconds: elapsed,
      rps: answered / elapsed,
      p50Ms: ms(0.5),
      p90Ms: ms(0.9),
      p99Ms: ms(0.99),
      maxMs: hist.count === 0 ? null : hist.maxUs / 1000,
      errors,
      unknownIds: errors.unknownId,
      heartbeats,
      connectionsOpened: opened,
      protocol: codec.name,
      connections,
      inflight,
    }) + "\n",
  );
  setTimeout(() => process.exit(0), 50);
}
