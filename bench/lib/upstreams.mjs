// The servers behind the targets, started on the load side. Each kind is chosen by what the load
// speaks: "http" (HTTP/1.1 keep-alive: nginx, or bench/upstream.mjs), "echo" (bytes back, for
// connection churn) and "rpc" (Bolt or Dubbo answers: bench/rpc-upstream.mjs). An upstream is
// { kind, label, port, proc }, and accepted() (the connections accepted so far) when it counts them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nginxUpstream } from "./configs.mjs";
import { log } from "./log.mjs";
import { freePort } from "./ports.mjs";
import { startProcess } from "./processes.mjs";
import { codecFor } from "./rpc-frames.mjs";
import { SettingError } from "./settings.mjs";

async function startNginx(ctx) {
  const port = await freePort();
  const dir = join(ctx.tmp, `nginx-${port}`);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, nginxUpstream(dir, port));
  const [cmd, args] = ctx.place("load", ctx.tools.nginx.path, ["-e", join(dir, "error.log"), "-p", dir, "-c", conf]);
  const proc = await startProcess("nginx", cmd, args, { ready: port, timeoutMs: 10_000 });
  return { kind: "http", label: `${ctx.tools.nginx.version} (1 worker, return 200)`, port, proc };
}

async function startNodeScript(ctx, name, script, label, scriptArgs = []) {
  const [cmd, args] = ctx.place("load", process.execPath, [join(ctx.benchDir, script), ...scriptArgs, "0"]);
  const proc = await startProcess(name, cmd, args, { ready: /listening on [\d.]+:(\d+)/, timeoutMs: 10_000 });
  return { port: Number(proc.match[1]), proc, label };
}

/**
 * The HTTP/1.1 upstream of the load runs. BENCH_UPSTREAM=auto takes nginx when installed and
 * says so when it falls back to bench/upstream.mjs.
 */
export async function startHttpUpstream(ctx) {
  const choice = ctx.settings.upstream;
  const nginx = ctx.tools.nginx;
  if (choice === "nginx" && nginx.missing) throw new SettingError(`BENCH_UPSTREAM=nginx but nginx is ${nginx.missing}`);
  if (choice !== "node" && !nginx.missing) {
    try {
      return await startNginx(ctx);
    } catch (err) {
      if (choice === "nginx") throw err;
      log(`nginx failed to start, using bench/upstream.mjs instead: ${err.message}`);
    }
  }
  const why = choice === "node"
    ? "BENCH_UPSTREAM=node"
    : nginx.missing
    ? `nginx ${nginx.missing}`
    : "nginx failed to start";
  const up = await startNodeScript(
    ctx,
    "upstream",
    "upstream.mjs",
    `bench/upstream.mjs, node:net (node ${process.version}; ${why})`,
  );
  return { kind: "http", ...up };
}

/** An echo server (bench/echo-upstream.mjs) for the connection churn runs. */
export async function startEchoUpstream(ctx) {
  const up = await startNodeScript(
    ctx,
    "echo-upstream",
    "echo-upstream.mjs",
    `bench/echo-upstream.mjs, node:net echo (node ${process.version})`,
  );
  return { kind: "echo", ...up };
}

/** The last "accepted N" an rpc-upstream printed: connections it accepted so far (0 before any). */
export function acceptedSoFar(stdout) {
  const at = stdout.lastIndexOf("rpc-upstream: accepted ");
  if (at < 0) return 0;
  return Number(/^rpc-upstream: accepted (\d+)/.exec(stdout.slice(at))?.[1] ?? 0);
}

/**
 * The RPC upstream of one protocol (bench/rpc-upstream.mjs): pre-encoded answers, and a count of
 * the connections it accepted, which is how the bench sees the upstream connections a proxy opens.
 */
export async function startRpcUpstream(ctx, protocol) {
  const bytes = codecFor(protocol).response().length;
  const up = await startNodeScript(
    ctx,
    `rpc-upstream-${protocol}`,
    "rpc-upstream.mjs",
    `bench/rpc-upstream.mjs ${protocol}, pre-encoded ${bytes}-byte answers, one write per read (node ${process.version})`,
    [protocol],
  );
  return { kind: "rpc", ...up, accepted: () => acceptedSoFar(up.proc.stdout) };
}
