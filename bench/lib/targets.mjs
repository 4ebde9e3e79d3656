// What the load goes through. A target is
//   { name, group, label, layer, missing, start(ctx, upstreamPort) -> { proc, port } | null }
// group: "reference" (direct: no proxy), "isthmus", "anchor" (a production proxy to compare
// with), "baseline" (a bare pipe: what a few lines on one socket API do, not a ceiling).
// layer: "l4" targets forward bytes and so carry any load (HTTP, RPC frames, echo); "http1"
// targets are HTTP/1.1 proxies, paired only with loads that speak it; "rpc" targets are RPC
// proxies (MOSN's X protocol with a sub_protocol), paired with the RPC load of that protocol.
// missing: null, or why it cannot run ("not installed (Debian package haproxy)").
// preflight(ctx) (optional): resolves null when the target can run, else why not; asked once
// before a section's rounds (isthmus on an RPC protocol it may not serve yet).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { haproxyTcp, isthmusHttpProxy, isthmusRpcProxy, isthmusTcpProxy, nginxHttpProxy } from "./configs.mjs";
import { freePort } from "./ports.mjs";
import { startProcess } from "./processes.mjs";

const direct = {
  name: "direct",
  group: "reference",
  label: "direct to the upstream, no proxy",
  layer: "l4",
  missing: null,
  start: () => Promise.resolve(null),
};

const ISTHMUS_FILTER = {
  l4: { filter: "tcp_proxy", config: isthmusTcpProxy },
  http1: { filter: "proxy (HTTP/1.1, one route)", config: isthmusHttpProxy },
};

/** isthmus's `proxy` filter on X with one sub-protocol: its label and config writer. */
function rpcFilter(subProtocol) {
  return {
    filter: `proxy (X, sub_protocol ${subProtocol})`,
    config: (port, upstreamPort) => isthmusRpcProxy(port, upstreamPort, subProtocol),
  };
}

/**
 * Why isthmus would refuse the config `text`, or null when it takes it: `isthmus validate` (the
 * same core's config loader on every runtime, no port opened). A refusal reads as the loader's
 * last field and message, e.g. 'downstream_protocol: protocol "X" is not supported yet (...)'.
 */
export function validateIsthmusConfig(ctx, name, text) {
  const file = join(ctx.tmp, `${name}-validate.yaml`);
  writeFileSync(file, text);
  const r = spawnSync(process.execPath, [join(ctx.root, "adapters/cli/isthmus.mjs"), "validate", "-c", file], {
    cwd: ctx.root,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status === 0) return null;
  const out = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.split("\n").map((l) => l.trim()).filter(Boolean);
  const line = out.find((l) => l.startsWith("isthmus: ")) ?? out[0] ?? `exit ${r.status ?? r.signal}`;
  return refusalText(line, file);
}

/** The loader's message without the file and with only the last step of the field path. */
export function refusalText(line, file) {
  return line.replace(/^isthmus: /, "").replace(`${file}: `, "").replace(/^[\w[\].]*\.(\w+: )/, "$1");
}

/** isthmus on one runtime, started through adapters/cli/isthmus.mjs as a user would. */
function isthmus(tools, runtime, layer, workers, subProtocol) {
  const { filter, config } = layer === "rpc" ? rpcFilter(subProtocol) : ISTHMUS_FILTER[layer];
  return {
    name: `isthmus-${runtime}`,
    group: "isthmus",
    runtime,
    label: `isthmus ${filter} on ${runtime}, ${workers} worker${
      workers > 1 ? "s" : ""
    }, through adapters/cli/isthmus.mjs`,
    layer,
    missing: tools[runtime]?.missing ?? (tools[runtime] ? null : `unknown runtime "${runtime}"`),
    preflight: subProtocol
      ? (ctx) => {
        // Ports do not matter to validate: nothing is bound.
        const why = validateIsthmusConfig(ctx, `isthmus-${runtime}-${subProtocol}`, config(1, 2));
        return Promise.resolve(
          why === null ? null : `${/not supported yet/.test(why) ? "skipped" : "refused"}: isthmus says ${why}`,
        );
      }
      : undefined,
    async start(ctx, upstreamPort) {
      const port = await freePort();
      const file = join(ctx.tmp, `isthmus-${runtime}-${port}.yaml`);
      writeFileSync(file, config(port, upstreamPort));
      const launcher = join(ctx.root, "adapters/cli/isthmus.mjs");
      const [cmd, args] = ctx.place("proxy", process.execPath, [
        launcher,
        "start",
        "-c",
        file,
        "--runtime",
        runtime,
        "--workers",
        String(workers),
      ]);
      // Readiness is the port accepting, which does not depend on the launcher's log wording;
      // with workers, "ready" lines from all of them are awaited too (a port accepting means one).
      const proc = await startProcess(`isthmus-${runtime}`, cmd, args, {
        ready: workers > 1 ? readyLines(workers) : port,
        timeoutMs: 60_000,
        cwd: ctx.root,
      });
      return { proc, port };
    },
  };
}

/** A RegExp that matches once `n` "isthmus: ready" lines are on stdout. */
function readyLines(n) {
  return new RegExp(`(?:[^]*?^isthmus: ready$){${n}}`, "m");
}

function haproxy(tools) {
  return {
    name: "haproxy",
    group: "anchor",
    label: `${tools.haproxy.version ?? "haproxy"}, mode tcp, 1 thread`,
    layer: "l4",
    missing: tools.haproxy.missing,
    async start(ctx, upstreamPort) {
      const port = await freePort();
      const cfg = join(ctx.tmp, `haproxy-${port}.cfg`);
      writeFileSync(cfg, haproxyTcp(port, upstreamPort));
      const [cmd, args] = ctx.place("proxy", tools.haproxy.path, ["-f", cfg, "-db"]);
      const proc = await startProcess("haproxy", cmd, args, { ready: port, timeoutMs: 10_000 });
      return { proc, port };
    },
  };
}

const nodePipe = {
  name: "node-pipe",
  group: "baseline",
  label: "bench/pipe-proxy.mjs: node:net a.pipe(b), b.pipe(a)",
  layer: "l4",
  missing: null,
  async start(ctx, upstreamPort) {
    const [cmd, args] = ctx.place("proxy", process.execPath, [
      join(ctx.benchDir, "pipe-proxy.mjs"),
      "0",
      "127.0.0.1",
      String(upstreamPort),
    ]);
    const proc = await startProcess("node-pipe", cmd, args, { ready: /listening on [\d.]+:(\d+)/, timeoutMs: 10_000 });
    return { proc, port: Number(proc.match[1]) };
  },
};

/** nginx `proxy_pass` with upstream keep-alive and `workers` worker processes. */
function nginxProxy(tools, workers) {
  return {
    name: "nginx",
    group: "anchor",
    label: `${tools.nginx.version ?? "nginx"} proxy_pass, upstream keepalive, ${workers} worker${
      workers > 1 ? "s" : ""
    }`,
    layer: "http1",
    missing: tools.nginx.missing,
    async start(ctx, upstreamPort) {
      const port = await freePort();
      const dir = join(ctx.tmp, `nginx-proxy-${port}`);
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, "nginx.conf");
      writeFileSync(conf, nginxHttpProxy(dir, port, upstreamPort, workers));
      const [cmd, args] = ctx.place("proxy", tools.nginx.path, ["-e", join(dir, "error.log"), "-p", dir, "-c", conf]);
      const proc = await startProcess("nginx-proxy", cmd, args, { ready: port, timeoutMs: 10_000 });
      return { proc, port };
    },
  };
}

/** npm http-proxy on node (bench/http-proxy.mjs), node:cluster workers when more than one. */
function nodeHttpProxy(tools, workers) {
  return {
    name: "http-proxy",
    group: "baseline",
    label: `bench/http-proxy.mjs: npm http-proxy on node:http, keep-alive agent, ${workers} worker${
      workers > 1 ? "s" : ""
    }`,
    layer: "http1",
    missing: tools.httpProxy.missing,
    async start(ctx, upstreamPort) {
      const port = await freePort();
      const [cmd, args] = ctx.place("proxy", process.execPath, [
        join(ctx.benchDir, "http-proxy.mjs"),
        String(port),
        "127.0.0.1",
        String(upstreamPort),
        String(workers),
      ]);
      const proc = await startProcess("http-proxy", cmd, args, {
        ready: /listening on [\d.]+:(\d+)/,
        timeoutMs: 10_000,
      });
      return { proc, port };
    },
  };
}

/** The L4 targets in report order: direct, isthmus per runtime, haproxy, the node:net pipe. */
export function l4Targets(tools, runtimes) {
  return [direct, ...runtimes.map((rt) => isthmus(tools, rt, "l4", 1)), haproxy(tools), nodePipe];
}

/**
 * The HTTP/1.1 proxy targets in report order, each with `workers` workers: direct, isthmus's
 * `proxy` filter per runtime, nginx proxy_pass, npm http-proxy.
 */
export function httpTargets(tools, runtimes, workers) {
  return [
    direct,
    ...runtimes.map((rt) => isthmus(tools, rt, "http1", workers)),
    nginxProxy(tools, workers),
    nodeHttpProxy(tools, workers),
  ];
}

/**
 * The RPC targets for one sub-protocol (bolt, dubbo) in report order, 1 worker each: direct and
 * isthmus's `proxy` filter speaking X per runtime. isthmus is asked first whether it takes the
 * config, so a protocol it does not serve yet shows as skipped with its reason.
 */
export function rpcTargets(tools, runtimes, subProtocol) {
  return [direct, ...runtimes.map((rt) => isthmus(tools, rt, "rpc", 1, subProtocol))];
}
