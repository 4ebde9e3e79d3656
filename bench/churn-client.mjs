// Connection churn client: opens TOTAL short connections, at most CONCURRENCY at a time. Each
// one connects, sends 16 bytes, waits for them to come back (an echo upstream), ends its side
// and waits for the close, so the proxy's whole accept / connect upstream / close path runs once
// per connection. Stops starting new ones after MAX_SECONDS. Prints one JSON line:
//   {"attempted","completed","failed","seconds","connPerSec","p50Ms","p99Ms","maxMs",
//    "errors":{connect,reset,mismatch,timeout},"timedOut"}
//   node bench/churn-client.mjs HOST PORT TOTAL CONCURRENCY MAX_SECONDS
// A connection not closed within 5 s counts as a timeout.
import net from "node:net";

const [host = "127.0.0.1", portArg, totalArg = "20000", concArg = "50", maxArg = "30"] = process.argv.slice(2);
const port = Number(portArg);
const total = Math.max(1, Math.floor(Number(totalArg)));
const concurrency = Math.max(1, Math.min(total, Math.floor(Number(concArg))));
const maxSeconds = Math.max(0.1, Number(maxArg));
if (!port) {
  process.stderr.write("usage: node bench/churn-client.mjs HOST PORT TOTAL CONCURRENCY MAX_SECONDS\n");
  process.exit(2);
}

const CONN_TIMEOUT_MS = 5000;
const PAYLOAD = Buffer.from("churn-ping-0123\n", "latin1"); // 16 bytes
const errors = { connect: 0, reset: 0, mismatch: 0, timeout: 0 };
const latencies = new Float64Array(total); // open -> echo -> closed, milliseconds
let attempted = 0;
let completed = 0;
let inFlight = 0;
let stopped = false;
const started = performance.now();

function one() {
  attempted++;
  inFlight++;
  const t0 = performance.now();
  const s = net.connect({ host, port, noDelay: true });
  let connected = false;
  let got = 0;
  let failed = null;
  const fail = (kind) => {
    if (failed === null) failed = kind;
    s.destroy();
  };
  const timer = setTimeout(() => fail("timeout"), CONN_TIMEOUT_MS);
  s.on("connect", () => {
    connected = true;
    s.write(PAYLOAD);
  });
  s.on("data", (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      if (got >= PAYLOAD.length || chunk[i] !== PAYLOAD[got]) return fail("mismatch");
      got++;
    }
    if (got === PAYLOAD.length) s.end();
  });
  s.on("error", () => fail(connected ? "reset" : "connect"));
  s.on("close", () => {
    clearTimeout(timer);
    inFlight--;
    if (failed === null && got !== PAYLOAD.length) failed = connected ? "reset" : "connect";
    if (failed === null) latencies[completed++] = performance.now() - t0;
    else errors[failed]++;
    next();
  });
}

const deadline = setTimeout(() => {
  stopped = true;
}, maxSeconds * 1000);

function next() {
  if (!stopped && attempted < total) one();
  else if (inFlight === 0) finish();
}

function finish() {
  clearTimeout(deadline);
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, completed).sort();
  const q = (p) => (completed === 0 ? null : sorted[Math.min(completed - 1, Math.floor(p * completed))]);
  process.stdout.write(
    JSON.stringify({
      attempted,
      completed,
      failed: attempted - completed,
      seconds,
      connPerSec: completed / seconds,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      maxMs: completed === 0 ? null : sorted[completed - 1],
      errors,
      timedOut: attempted < total,
    }) + "\n",
  );
  process.exit(0);
}

for (let i = 0; i < concurrency; i++) one();
