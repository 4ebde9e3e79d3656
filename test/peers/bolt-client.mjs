// A real SOFARPC client over Bolt: sofa-rpc-node's RpcClient in direct mode (serverHost, no
// registry), hessian2. For oneway calls, which sofa-rpc-node's client does not offer,
// sofa-bolt-node's own RpcClient (the same codec) is used.
//
//   node test/peers/bolt-client.mjs --address 127.0.0.1:PORT [--calls 10] [--concurrency 1]
//        [--connections 1] [--method echo|slow|whoami|fail] [--arg X] [--timeout 3000]
//        [--service com.alipay.test.TestService] [--version 1.0] [--target-app APP]
//        [--deadline-ms 30000]
//   ... --mode oneway [--calls N]       N oneway echo calls, then one ordinary echo call
//   ... --mode idle --idle 3 [--heartbeat-ms 1000]
//        one call, idle for --idle seconds while the library sends its heartbeats (its idle
//        threshold and check period both set to --heartbeat-ms), then one more call
//
// sofa-rpc-node keeps one connection per address in a client, so --connections K means K
// RpcClient instances; calls go to them in turn.
//
// echo's argument for call i is "ARG-i" (ARG defaults to "msg"); a reply other than
// "<server name>:ARG-i" counts as a mismatch (and an error), so crossed replies show.
// stdout: one JSON line, {"ok":N,"errorCount":N,"mismatches":N,"errors":[{name,message}],
// "by":{serverName:count},"sample":[...],"elapsedMs":N,...mode extras}.
import { parse as parseUrl } from "node:url";
import bolt from "sofa-bolt-node";
import sofa from "sofa-rpc-node";
import { emit, loopback, parseArgs, runBounded, stderrLogger, Tally } from "./cli.mjs";

const { RpcClient, RpcConnection, DynamicConfig } = sofa.client;
const args = parseArgs();
const address = args.str("address");
const { host, port } = loopback(address);
const mode = args.str("mode", "calls");
const calls = args.num("calls", mode === "idle" ? 2 : 10);
const concurrency = args.num("concurrency", 1);
const connections = args.num("connections", 1);
const method = args.str("method", "echo");
const arg = args.str("arg", method === "slow" ? "100" : method === "fail" ? "failed on purpose" : "msg");
const timeout = args.num("timeout", 3000);
const service = args.str("service", "com.alipay.test.TestService");
const version = args.str("version", "1.0");
const targetAppName = args.str("target-app", undefined);
const deadlineMs = args.num("deadline-ms", 30_000);
// Bolt v2 (sofa-bolt-node's "bolt2"): --bolt-version 2, with --crc for its CRC32 (version byte 2).
const boltV2 = args.num("bolt-version", 1) === 2;
const crc = args.flag("crc");
let unexpectedResponses = 0;
const logger = stderrLogger("bolt-client", (text) => {
  // sofa-rpc-node's and connection's words for a response whose id matches no request.
  if (/can not find invoke request for response/.test(text)) unexpectedResponses++;
});
const tally = new Tally();
const started = Date.now();

/** The argument list and the check of the reply for call i. */
function callFor(i) {
  switch (method) {
    case "echo": {
      const sent = `${arg}-${i}`;
      return {
        args: [sent],
        check: (r) => (typeof r === "string" && r.endsWith(`:${sent}`) ? r.slice(0, -sent.length - 1) : null),
      };
    }
    case "slow":
      return { args: [Number(arg)], check: (r) => (typeof r === "string" ? r.split(":")[0] : null) };
    case "whoami":
      return { args: [], check: (r) => (typeof r === "string" ? r : null) };
    default:
      return { args: [arg], check: () => "?" };
  }
}

async function settle(i, invoke) {
  const { args: callArgs, check } = callFor(i);
  try {
    const result = await invoke(callArgs);
    const who = check(result);
    if (who === null) {
      tally.mismatches++;
      tally.fail(new Error(`mismatch: call ${i} got ${JSON.stringify(result)}`));
    } else tally.pass(result, who);
  } catch (err) {
    tally.fail(err);
  }
}

// Counts the heartbeats the library sends and the acks it gets back (it ignores the acks).
const heartbeats = { sent: 0, acked: 0 };
class CountingConnection extends RpcConnection {
  constructor(options) {
    super(options);
    this._decoder.on("heartbeat_ack", () => heartbeats.acked++);
    if (boltV2) {
      this._encoder.protocolType = "bolt2";
      this._encoder.boltVersion = crc ? 2 : 1;
      this._encoder.crcEnable = crc;
    }
  }

  heartbeat() {
    const before = this._lastActiveTime;
    super.heartbeat();
    if (this._lastActiveTime !== before) heartbeats.sent++;
  }
}

async function viaRpcClient() {
  const heartbeatMs = args.num("heartbeat-ms", 1000);
  if (mode === "idle") {
    // The library checks each connection once per metric bucket and sends a heartbeat when it
    // has been idle longer than maxIdleTime (10 s and 30 s by default): both are shortened.
    DynamicConfig.instance.metric.bucketSizeInMs = heartbeatMs;
  }
  const clients = Array.from({ length: Math.max(1, connections) }, () =>
    new RpcClient({
      logger,
      responseTimeout: timeout,
      connectionClass: CountingConnection,
      connectionOpts: {
        protocol: bolt,
        noDelay: true,
        connectTimeout: 3000,
        ...(mode === "idle" ? { maxIdleTime: heartbeatMs } : {}),
      },
    }));
  const consumers = clients.map((client) =>
    client.createConsumer({
      interfaceName: service,
      version,
      targetAppName,
      serverHost: `${host}:${port}`,
    })
  );
  try {
    await Promise.all(consumers.map((c) => c.ready()));
    const invoke = (i) => (callArgs) =>
      consumers[i % consumers.length].invoke(method, callArgs, { responseTimeout: timeout });
    if (mode === "idle") {
      await settle(0, invoke(0));
      await new Promise((r) => setTimeout(r, Math.min(args.num("idle", 3), 120) * 1000));
      await settle(1, invoke(1));
      return { heartbeats };
    }
    const { skipped } = await runBounded(calls, concurrency, deadlineMs, (i) => settle(i, invoke(i)));
    return { skipped, connections: clients.length };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

async function oneway() {
  const client = new bolt.RpcClient({ logger, address: parseUrl(`bolt://${host}:${port}`), connectTimeout: 3000 });
  await client.ready();
  try {
    const serverSignature = `${service}:${version}`;
    for (let i = 0; i < calls; i++) {
      client.oneway({ serverSignature, methodName: "echo", args: [`${arg}-oneway-${i}`], timeout, targetAppName });
    }
    // An ordinary call after them: its reply shows the connection is still in step.
    await settle(calls, async (callArgs) => {
      // The connection package resolves with the decoded packet: { packetId, data, ... }.
      const { data } = await client.invoke({
        serverSignature,
        methodName: "echo",
        args: callArgs,
        timeout,
        targetAppName,
      });
      if (data.error) throw data.error;
      return data.appResponse;
    });
    // Give a server that wrongly answers oneway calls the time to do so.
    await new Promise((r) => setTimeout(r, 200));
    return { onewaySent: calls };
  } finally {
    await client.close();
  }
}

let extra;
try {
  extra = mode === "oneway" ? await oneway() : await viaRpcClient();
} catch (err) {
  tally.fail(err);
}
emit({ ...tally.toJSON(), ...extra, unexpectedResponses, elapsedMs: Date.now() - started });
process.exit(0);
