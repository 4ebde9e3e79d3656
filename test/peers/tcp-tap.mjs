// A plain TCP relay that records what passes: for looking at the bytes real peers exchange.
//
//   node test/peers/tcp-tap.mjs --target 127.0.0.1:PORT [--port 0] [--max-bytes 4096]
//
// stdout: {"ready":true,"port":P} once listening, then one line per chunk read,
// {"conn":N,"dir":"c2s"|"s2c","t":msSinceStart,"len":N,"hex":"..."} (hex cut at --max-bytes),
// and {"conn":N,"closed":"client"|"server"}.
import net from "node:net";
import { emit, loopback, onShutdown, parseArgs } from "./cli.mjs";

const args = parseArgs();
const target = loopback(args.str("target"));
const maxBytes = args.num("max-bytes", 4096);
const t0 = Date.now();
let conns = 0;

const server = net.createServer((client) => {
  const conn = ++conns;
  const upstream = net.connect(target.port, target.host);
  const relay = (from, to, dir) => {
    from.on("data", (chunk) => {
      emit({ conn, dir, t: Date.now() - t0, len: chunk.length, hex: chunk.subarray(0, maxBytes).toString("hex") });
      to.write(chunk);
    });
    from.on("end", () => to.end());
    from.on("close", () => {
      emit({ conn, closed: dir === "c2s" ? "client" : "server" });
      to.destroy();
    });
    from.on("error", () => to.destroy());
  };
  relay(client, upstream, "c2s");
  relay(upstream, client, "s2c");
});
server.listen(args.num("port", 0), "127.0.0.1", () => emit({ ready: true, port: server.address().port }));
onShutdown(() => new Promise((r) => server.close(() => r())));
