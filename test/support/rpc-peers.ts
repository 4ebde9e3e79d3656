// Third-party RPC peers for tests, on node, deno or bun: the scripts in test/peers, which run
// on node (the libraries are Node packages), each a process printing JSON lines. A server
// prints {"ready":true,"port":P,...} and, when stopped, a stats line; a client prints one
// summary line and exits.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { runtimeName } from "./runtime.ts";

const PEERS = new URL("../peers/", import.meta.url).pathname;
// The peers are node scripts: this node when the test runs on node, else the one on PATH
// (as cli-process.ts runs the launcher).
const NODE = runtimeName() === "node" ? process.execPath : "node";

export type PeerArgs = Record<string, string | number | boolean | undefined>;

/** What bolt-client.mjs and dubbo-consumer.mjs print. */
export interface CallSummary {
  ok: number;
  errorCount: number;
  /** Replies that were not the answer to the call that got them. */
  mismatches: number;
  /** The first 20 errors. */
  errors: { name: string; message: string }[];
  /** Replies per answering server name. */
  by: Record<string, number>;
  sample: unknown[];
  elapsedMs: number;
  skipped?: number;
  connections?: number;
  /** bolt-client: responses whose id matched no pending call (e.g. replies to oneway calls). */
  unexpectedResponses?: number;
  onewaySent?: number;
  /** bolt-client --mode idle: heartbeats the library sent and the acks it got. */
  heartbeats?: { sent: number; acked: number };
}

/** What a server prints when stopped. */
export interface ServerStats {
  requests: number;
  heartbeats: number;
  connections: number;
  heartbeatAcks?: number;
}

export interface PeerServer {
  readonly port: number;
  readonly name: string;
  readonly address: string;
  readonly pid: number;
  /** Every JSON line printed so far (the ready line first). */
  readonly lines: Record<string, unknown>[];
  readonly stderr: () => string;
  /** SIGTERM, then the stats line; SIGKILL if it has not exited within `ms`. */
  stop(ms?: number): Promise<ServerStats | undefined>;
}

const running = new Set<ChildProcess>();

function argv(args: PeerArgs): string[] {
  return Object.entries(args).flatMap(([k, v]) =>
    v === undefined || v === false ? [] : v === true ? [`--${k}`] : [`--${k}`, String(v)]
  );
}

function launch(script: string, args: PeerArgs) {
  const child = spawn(NODE, [join(PEERS, script), ...argv(args)], { stdio: ["pipe", "pipe", "pipe"] });
  running.add(child);
  const lines: Record<string, unknown>[] = [];
  let partial = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (c: string) => {
    partial += c;
    let nl;
    while ((nl = partial.indexOf("\n")) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        stderr += `(stdout, not JSON) ${line}\n`;
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (c: string) => (stderr += c));
  // A peer exits on stdin closing too; the pipe's own error when it has gone is no news.
  child.stdin!.on("error", () => {});
  const exited = new Promise<number | null>((r) => {
    child.on("exit", (code) => {
      running.delete(child);
      // stdout may still hold the last line: wait for it to end.
      if (child.stdout!.readableEnded) r(code);
      else child.stdout!.once("end", () => r(code));
    });
    child.on("error", (err) => {
      stderr += `spawn ${NODE}: ${err.message}\n`;
      running.delete(child);
      r(null);
    });
  });
  exited.then(() => {
    for (const w of waiters) w();
  });
  /** Resolves with the first line `pick` accepts; rejects on exit or after `ms`. */
  const waitLine = (pick: (l: Record<string, unknown>) => boolean, ms: number, what: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      let done = false;
      const check = () => {
        const l = lines.find(pick);
        if (l) finish(() => resolve(l));
        else if (child.exitCode !== null || child.signalCode !== null) {
          finish(() => reject(new Error(`${script} exited before ${what}; stderr:\n${stderr}`)));
        }
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${script}: no ${what} in ${ms} ms; stderr:\n${stderr}`))),
        ms,
      );
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });
  return { child, lines, stderr: () => stderr, exited, waitLine };
}

async function startServer(script: string, args: PeerArgs, ms: number): Promise<PeerServer> {
  const p = launch(script, { port: 0, ...args });
  const ready = await p.waitLine((l) => l.ready === true, ms, "ready line");
  const port = Number(ready.port);
  return {
    port,
    name: String(ready.name),
    address: `127.0.0.1:${port}`,
    pid: p.child.pid!,
    lines: p.lines,
    stderr: p.stderr,
    async stop(stopMs = 5000) {
      if (p.child.exitCode === null && p.child.signalCode === null) signal(p.child, "SIGTERM");
      const timer = setTimeout(() => signal(p.child, "SIGKILL"), stopMs);
      await p.exited;
      clearTimeout(timer);
      const closed = p.lines.find((l) => l.closed === true);
      return closed as unknown as ServerStats | undefined;
    },
  };
}

async function runClient(script: string, args: PeerArgs, ms: number): Promise<CallSummary> {
  const p = launch(script, args);
  const timer = setTimeout(() => signal(p.child, "SIGKILL"), ms);
  const code = await p.exited;
  clearTimeout(timer);
  const summary = p.lines.filter((l) => "ok" in l).at(-1);
  if (!summary) throw new Error(`${script} exited ${code} with no summary; stderr:\n${p.stderr()}`);
  return summary as unknown as CallSummary;
}

// process.kill, not child.kill: Deno's node:child_process sends only the first signal.
function signal(child: ChildProcess, sig: "SIGTERM" | "SIGKILL"): void {
  try {
    if (child.pid) process.kill(child.pid, sig);
  } catch {
    // Gone already.
  }
}

/** sofa-rpc-node's RpcServer (bolt-server.mjs) on 127.0.0.1; args e.g. { name: "A" }. */
export const startBoltServer = (args: PeerArgs = {}, ms = 15000) => startServer("bolt-server.mjs", args, ms);

/** The hessian.js-built Dubbo provider (dubbo-provider.mjs); args e.g. { name, group }. */
export const startDubboProvider = (args: PeerArgs = {}, ms = 15000) => startServer("dubbo-provider.mjs", args, ms);

/** sofa-rpc-node's RpcClient (bolt-client.mjs) against `address`; resolves with its summary. */
export const runBoltClient = (address: string, args: PeerArgs = {}, ms = 60000) =>
  runClient("bolt-client.mjs", { address, ...args }, ms);

/** dubbo2.js's DirectlyDubbo (dubbo-consumer.mjs) against `address`; resolves with its summary. */
export const runDubboConsumer = (address: string, args: PeerArgs = {}, ms = 60000) =>
  runClient("dubbo-consumer.mjs", { address, ...args }, ms);

/** SIGKILLs every peer still running: for after() in each test file that starts peers. */
export function killPeers(): void {
  for (const child of running) signal(child, "SIGKILL");
  running.clear();
}
