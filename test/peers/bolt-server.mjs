// A real SOFARPC server over Bolt: sofa-rpc-node's RpcServer (with sofa-bolt-node's codec and
// hessian2), no registry. The only changes to the library are that it listens on 127.0.0.1
// (RpcServer binds every interface) and that heartbeats are counted before the library's own
// handling answers them.
//
//   node test/peers/bolt-server.mjs [--port 0] [--name NAME] [--max-idle-ms 90000]
//
// Service com.alipay.test.TestService:1.0 (override with --service / --version):
//   echo(s)    -> "NAME:s"           (NAME tells which of several servers answered)
//   slow(ms)   -> "NAME:slept MS"    after MS milliseconds (at most 30000)
//   whoami()   -> "NAME"
//   fail(msg)  -> a business error (resultCode 01) whose message is msg
//
// stdout, one JSON line each: {"ready":true,"port":P,"name":NAME} once listening;
// {"event":"connection","remote":"ip:port"} and {"event":"heartbeat","remote":...,"id":N} as
// they happen; {"closed":true,"requests":N,"heartbeats":N,"connections":N} on the way out.
import net from "node:net";
import sofa from "sofa-rpc-node";
import { emit, onShutdown, parseArgs, stderrLogger } from "./cli.mjs";

const { RpcServer, RpcConnection } = sofa.server;
const args = parseArgs();
const port = args.num("port", 0);
const service = args.str("service", "com.alipay.test.TestService");
const version = args.str("version", "1.0");
const logger = stderrLogger("bolt-server");
const counts = { requests: 0, heartbeats: 0, connections: 0 };

class CountingConnection extends RpcConnection {
  _handleHeartbeat(hb) {
    counts.heartbeats++;
    emit({ event: "heartbeat", remote: this.remoteAddress, id: hb.packetId });
    super._handleHeartbeat(hb);
  }
}

class LoopbackRpcServer extends RpcServer {
  // RpcServer#_startServer listens on every interface; this is the same on 127.0.0.1 only.
  _startServer(listenPort) {
    const server = net.createServer();
    server.once("error", (err) => this.emit("error", err));
    server.on("connection", (socket) => this._handleSocket(socket));
    server.listen(listenPort, "127.0.0.1", () => {
      if (listenPort === this.publishPort && listenPort === 0) this.publishPort = server.address().port;
    });
    return server;
  }
}

const server = new LoopbackRpcServer({
  logger,
  port,
  version,
  connectionClass: CountingConnection,
  maxIdleTime: args.num("max-idle-ms", 90_000),
  // The library's graceful exit waits this long on an uncaught error; a test peer need not.
  killTimeout: 2000,
});
let name = args.str("name", "");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// RpcService only calls async functions (is.asyncFunction), hence the lint exceptions.
server.addService({ interfaceName: service }, {
  // deno-lint-ignore require-await
  async echo(s) {
    return `${name}:${s}`;
  },
  async slow(ms) {
    const wait = Math.max(0, Math.min(Number(ms) || 0, 30_000));
    await sleep(wait);
    return `${name}:slept ${wait}`;
  },
  // deno-lint-ignore require-await
  async whoami() {
    return name;
  },
  // deno-lint-ignore require-await
  async fail(msg) {
    throw new Error(String(msg));
  },
});
server.on("request", () => counts.requests++);
server.on("connection", (conn) => {
  counts.connections++;
  emit({ event: "connection", remote: conn.remoteAddress });
});
server.on("error", (err) => logger.warn("%s", err?.message ?? err));

await server.start();
if (!name) name = `bolt-${server.publishPort}`;
emit({ ready: true, port: server.publishPort, name, service: `${service}:${version}` });

onShutdown(async () => {
  await server.close();
  emit({ closed: true, ...counts });
});
