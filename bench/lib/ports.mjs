// Loopback ports: the bench binds and connects on 127.0.0.1 only.
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export const HOST = "127.0.0.1";

const handedOut = new Set();

/** A port nobody listens on right now (bind :0, read it, close), never handed out twice. */
export async function freePort() {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen({ host: HOST, port: 0 }, () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free port found in 20 tries");
}

function probe(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port });
    const done = (ok) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1000);
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/**
 * Resolves once something accepts on port; rejects after timeoutMs, or as soon as `proc` (a
 * process from processes.mjs, optional) exits, with its telling output in the message.
 */
export async function waitForPort(port, timeoutMs, proc) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc?.exited) throw new Error(`${proc.name} exited (${proc.exitInfo()})${proc.tailText()}`);
    if (await probe(port)) return;
    await sleep(100);
  }
  throw new Error(`nothing listening on ${HOST}:${port} after ${timeoutMs} ms${proc ? proc.tailText() : ""}`);
}
