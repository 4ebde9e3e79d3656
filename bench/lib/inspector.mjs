// A V8 inspector client for CPU profiles over a time window: for a runtime without a
// --cpu-prof flag (deno 2.9.6), started with --inspect=127.0.0.1:PORT. Speaks just the Chrome
// DevTools Protocol calls it needs over the `ws` package (node 20 has no WebSocket client).
import { setTimeout as sleep } from "node:timers/promises";
import WebSocket from "ws";
import { HOST } from "./ports.mjs";

const CALL_TIMEOUT_MS = 30_000;

/** Connects to the first inspector target on `port`, retrying until it answers or timeoutMs passes. */
export async function connectInspector(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let url = null;
  let lastError = null;
  while (!url && Date.now() < deadline) {
    try {
      const res = await fetch(`http://${HOST}:${port}/json/list`);
      url = (await res.json())[0]?.webSocketDebuggerUrl ?? null;
    } catch (err) {
      lastError = err;
    }
    if (!url) await sleep(100);
  }
  if (!url) {
    throw new Error(`no inspector on ${HOST}:${port} after ${timeoutMs} ms (${lastError?.message ?? "no target"})`);
  }
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return new InspectorSession(ws);
}

class InspectorSession {
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data));
      const p = msg.id !== undefined ? this.pending.get(msg.id) : undefined;
      if (!p) return; // an event: none is needed here
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    ws.on("close", () => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`${p.method}: inspector connection closed`));
      }
      this.pending.clear();
    });
  }

  /** Sends one CDP method and resolves with its result. */
  call(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { method, resolve, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Starts the sampling profiler at `intervalUs`. */
  async startProfile(intervalUs) {
    await this.call("Profiler.enable");
    await this.call("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.call("Profiler.start");
  }

  /** Stops it and resolves with the .cpuprofile object. */
  async stopProfile() {
    const { profile } = await this.call("Profiler.stop");
    return profile;
  }

  close() {
    this.ws.close();
  }
}
