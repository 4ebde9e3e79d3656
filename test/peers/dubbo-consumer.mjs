// A real Dubbo consumer: dubbo2.js's DirectlyDubbo, which talks to a provider address directly
// (its Dubbo class needs ZooKeeper; this one does not), hessian2, Dubbo 2.x exchange frames.
// The one addition is that each call's context gets the --attachments and --application given
// here (dubbo2.js sets those only through its ZooKeeper-based Dubbo class): the library's own
// encoder writes them.
//
//   node test/peers/dubbo-consumer.mjs --address 127.0.0.1:PORT [--calls 10] [--concurrency 1]
//        [--connections 1] [--service org.apache.dubbo.demo.DemoService] [--version 1.0.0]
//        [--group G] [--method sayHello|slow|getAttachments|fail|failStatus|OTHER] [--arg X]
//        [--attachments k=v,k2=v2] [--application NAME] [--dubbo-version 2.0.2]
//        [--timeout 3000] [--deadline-ms 30000]
//
// One DirectlyDubbo holds one connection, so --connections K means K of them, used in turn.
// sayHello's argument for call i is "ARG-i" (ARG defaults to "world"); a reply other than
// "<provider name>:Hello ARG-i" counts as a mismatch (and an error).
// stdout: one JSON line, {"ok":N,"errorCount":N,"mismatches":N,"errors":[{name,message}],
// "by":{providerName:count},"sample":[...],"elapsedMs":N}. For a response whose status is not
// OK, dubbo2.js makes the error message from the raw body (a hessian2 string, so a length byte
// may lead it); errors[].message is that text as the library gives it.
import dubbo from "dubbo2.js";
import { emit, loopback, parseArgs, runBounded, Tally } from "./cli.mjs";

const { DirectlyDubbo, Context, java } = dubbo;
const args = parseArgs();
const { host, port } = loopback(args.str("address"));
const calls = args.num("calls", 10);
const concurrency = args.num("concurrency", 1);
const connections = Math.max(1, args.num("connections", 1));
const service = args.str("service", "org.apache.dubbo.demo.DemoService");
const version = args.str("version", "1.0.0");
const group = args.str("group", undefined);
const method = args.str("method", "sayHello");
const arg = args.str("arg", method === "slow" ? "100" : method.startsWith("fail") ? "failed on purpose" : "world");
const timeoutMs = args.num("timeout", 3000);
const deadlineMs = args.num("deadline-ms", 30_000);
const application = args.str("application", "isthmus-test-consumer");
const attachments = Object.fromEntries(
  (args.str("attachments", "") || "").split(",").filter(Boolean).map((kv) => {
    const eq = kv.indexOf("=");
    if (eq < 1) throw new Error(`--attachments wants k=v pairs, got ${kv}`);
    return [kv.slice(0, eq), kv.slice(eq + 1)];
  }),
);

// dubbo2.js builds each call's Context with Context.create(); this sets the attachments and
// application on it as the library's Dubbo class would.
const create = Context.create.bind(Context);
Context.create = () => {
  const ctx = create();
  ctx.attachments = attachments;
  ctx.application = { name: application };
  return ctx;
};

const services = Array.from({ length: connections }, () =>
  DirectlyDubbo.from({
    dubboAddress: `${host}:${port}`,
    dubboVersion: args.str("dubbo-version", "2.0.2"),
    // Seconds, in dubbo2.js.
    dubboInvokeTimeout: timeoutMs / 1000,
  }).proxyService({
    dubboInterface: service,
    version,
    group,
    timeout: timeoutMs,
    methods: {
      sayHello: (s) => [java.String(s)],
      slow: (ms) => [java.int(Number(ms))],
      getAttachments: () => [],
      fail: (s) => [java.String(s)],
      failStatus: (s) => [java.String(s)],
      [method]: (s) => [java.String(s)],
    },
  }));

const tally = new Tally();
const started = Date.now();
const { skipped } = await runBounded(calls, concurrency, deadlineMs, async (i) => {
  const proxy = services[i % services.length];
  const sent = method === "sayHello" ? `${arg}-${i}` : arg;
  // dubbo2.js resolves every call with { res, err } (its go()).
  const { res, err } = await proxy[method](sent);
  if (err) return tally.fail(err);
  if (method === "sayHello" || method === "slow") {
    const m = typeof res === "string" ? /^(.*?):(.*)$/.exec(res) : null;
    const expected = method === "sayHello" ? `Hello ${sent}` : null;
    if (!m || (expected !== null && m[2] !== expected)) {
      tally.mismatches++;
      return tally.fail(new Error(`mismatch: call ${i} got ${JSON.stringify(res)}`));
    }
    return tally.pass(res, m[1]);
  }
  tally.pass(res);
});
emit({ ...tally.toJSON(), skipped, connections, elapsedMs: Date.now() - started });
// DirectlyDubbo has no close(); its sockets would otherwise keep the process (and reconnect).
process.exit(0);
