// A Dubbo 2.7-style provider ("dubbo" protocol, hessian2) built on hessian.js frames
// (dubbo-frame.mjs): NOT a Dubbo library. npm has no Dubbo provider that runs without a
// registry; the consumer side (dubbo-consumer.mjs) is the real dubbo2.js library.
//
//   node test/peers/dubbo-provider.mjs [--port 0] [--name NAME]
//        [--service org.apache.dubbo.demo.DemoService] [--version 1.0.0] [--group G]
//        [--heartbeat-ms N]   also send a heartbeat on each connection every N ms
//
// Methods (what a Java provider of the same interface would answer):
//   sayHello(String s)     -> "NAME:Hello s"           (NAME tells which provider answered)
//   slow(int ms)           -> "NAME:slept MS"         after MS milliseconds (at most 30000)
//   getAttachments()       -> the request's attachments, as a map
//   fail(String msg)       -> status 20, an exception result whose message is msg
//   failStatus(String msg) -> status 70 (SERVICE_ERROR) with msg as the error message
//   any other method       -> status 20, an exception result "No such method ..."
// A request for another service, version or (with --group) group gets status 70 with a
// "Not found exported service" message, as Dubbo does. Heartbeats (event requests) are
// answered with an event response of the same id; one-way requests get no response.
// Responses to requests of dubbo version 2.0.2 and later carry attachments
// {dubbo: "2.0.2", provider: NAME} (result flags 3/4/5), earlier ones none (flags 0/1/2).
//
// stdout, one JSON line each: {"ready":true,"port":P,"name":NAME}; {"event":"connection",...};
// {"event":"heartbeat","remote":...} for each heartbeat received; on the way out
// {"closed":true,"requests":N,"heartbeats":N,"heartbeatAcks":N,"connections":N}.
import net from "node:net";
import { emit, onShutdown, parseArgs } from "./cli.mjs";
import {
  decodeInvocation,
  errorResponse,
  FLAG_EVENT,
  FLAG_REQUEST,
  FLAG_TWOWAY,
  frame,
  heartbeatFrame,
  HESSIAN2,
  idBytes,
  NULL_BODY,
  okResponse,
  PROTOCOL_VERSION,
  splitFrames,
  STATUS,
} from "./dubbo-frame.mjs";

const args = parseArgs();
const service = args.str("service", "org.apache.dubbo.demo.DemoService");
const version = args.str("version", "1.0.0");
const group = args.str("group", "");
const heartbeatMs = args.num("heartbeat-ms", 0);
let name = args.str("name", "");
const counts = { requests: 0, heartbeats: 0, heartbeatAcks: 0, connections: 0 };
const sockets = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** "2.0.2" and later get attachments in responses (Dubbo's Version.isSupportResponseAttachment). */
function wantsAttachments(v) {
  const [a, b, c] = String(v ?? "").split(".").map(Number);
  return a > 2 || (a === 2 && (b > 0 || (b === 0 && c >= 2)));
}

async function invoke(inv) {
  switch (inv.method) {
    case "sayHello":
      return { value: `${name}:Hello ${inv.args[0]}` };
    case "slow": {
      const ms = Math.max(0, Math.min(Number(inv.args[0]) || 0, 30_000));
      await sleep(ms);
      return { value: `${name}:slept ${ms}` };
    }
    case "getAttachments":
      return { value: { $class: "java.util.HashMap", $: inv.attachments } };
    case "fail":
      return { error: String(inv.args[0]) };
    case "failStatus":
      return { status: STATUS.SERVICE_ERROR, message: String(inv.args[0]) };
    default:
      return { error: `No such method ${inv.method} in service ${inv.path}` };
  }
}

async function handleRequest(socket, f) {
  counts.requests++;
  const twoway = (f.flags & FLAG_TWOWAY) !== 0;
  let out;
  try {
    const inv = decodeInvocation(f.body);
    const reqGroup = inv.attachments.group ?? "";
    if (inv.path !== service || (inv.version || "0.0.0") !== version || reqGroup !== group) {
      const key = `${reqGroup ? reqGroup + "/" : ""}${inv.path}:${inv.version}:${server.address().port}`;
      out = errorResponse(
        f.id,
        STATUS.SERVICE_ERROR,
        `Not found exported service: ${key} in [${group ? group + "/" : ""}${service}:${version}], ` +
          `may be version or group mismatch`,
      );
    } else {
      const r = await invoke(inv);
      if (r.status) out = errorResponse(f.id, r.status, r.message);
      else {
        const attachments = wantsAttachments(inv.dubboVersion)
          ? { dubbo: PROTOCOL_VERSION, provider: name }
          : undefined;
        out = okResponse(f.id, { ...r, attachments });
      }
    }
  } catch (err) {
    out = errorResponse(f.id, STATUS.BAD_REQUEST, `Fail to decode request: ${err?.message ?? err}`);
  }
  if (twoway && !socket.destroyed) socket.write(out);
}

const server = net.createServer({ noDelay: true }, (socket) => {
  counts.connections++;
  sockets.add(socket);
  const remote = `${socket.remoteAddress}:${socket.remotePort}`;
  emit({ event: "connection", remote });
  let buf = Buffer.alloc(0);
  let nextHeartbeatId = 1;
  const timer = heartbeatMs > 0
    ? setInterval(() => socket.write(heartbeatFrame(idBytes(nextHeartbeatId++))), heartbeatMs)
    : undefined;
  socket.on("data", (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    let frames;
    try {
      ({ frames, rest: buf } = splitFrames(buf));
    } catch (err) {
      process.stderr.write(`dubbo-provider: ${remote}: ${err.message}, closing\n`);
      socket.destroy();
      return;
    }
    for (const f of frames) {
      if (f.flags & FLAG_EVENT) {
        if (f.flags & FLAG_REQUEST) {
          counts.heartbeats++;
          emit({ event: "heartbeat", remote, id: f.id.readBigUInt64BE().toString() });
          if (f.flags & FLAG_TWOWAY) socket.write(frame(FLAG_EVENT | HESSIAN2, STATUS.OK, f.id, NULL_BODY));
        } else counts.heartbeatAcks++;
      } else if (f.flags & FLAG_REQUEST) {
        handleRequest(socket, f).catch((err) => process.stderr.write(`dubbo-provider: ${err?.stack ?? err}\n`));
      }
      // A response from a consumer is not expected; it is ignored.
    }
  });
  socket.on("error", () => {});
  socket.on("close", () => {
    clearInterval(timer);
    sockets.delete(socket);
  });
});

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(args.num("port", 0), "127.0.0.1", resolve);
});
if (!name) name = `dubbo-${server.address().port}`;
emit({
  ready: true,
  port: server.address().port,
  name,
  service: `${group ? group + "/" : ""}${service}:${version}`,
});

onShutdown(async () => {
  await new Promise((r) => {
    server.close(() => r());
    for (const s of sockets) s.destroy();
  });
  emit({ closed: true, ...counts });
});
