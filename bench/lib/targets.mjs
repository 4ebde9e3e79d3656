// What the load goes through. A target is
//   { name, group, label, layer, missing, start(ctx, upstreamPort) -> { proc, port } | null }
// group: "reference" (direct: no proxy), "isthmus", "anchor" (a production proxy to compare
// with), "baseline" (a bare pipe: what a few lines on one socket API do, not a ceiling).
// layer: "l4" targets forward bytes and so carry any load (HTTP, RPC frames, echo); an L7 target
// (the coming HTTP/1 proxy) gets its own layer and is only paired with loads that speak it.
// missing: null, or why it cannot run ("not installed (Debian package haproxy)").
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { haproxyTcp, isthmusTcpProxy } from "./configs.mjs";
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

function isthmus(tools, runtime) {
  return {
    name: `isthmus-${runtime}`,
    group: "isthmus",
    runtime,
    label: `isthmus tcp_proxy on ${runtime}, 1 worker, through adapters/cli/isthmus.mjs`,
    layer: "l4",
    missing: tools[runtime]?.missing ?? (tools[runtime] ? null : `unknown runtime "${runtime}"`),
    async start(ctx, upstreamPort) {
      const port = await freePort();
      const file = join(ctx.tmp, `isthmus-${runtime}-${port}.yaml`);
      writeFileSync(file, isthmusTcpProxy(port, upstreamPort));
      const launcher = join(ctx.root, "adapters/cli/isthmus.mjs");
      const [cmd, args] = ctx.place("proxy", process.execPath, [
        launcher,
        "start",
        "-c",
        file,
        "--runtime",
        runtime,
        "--workers",
        "1",
      ]);
      // Readiness is the port accepting, which does not depend on the launcher's log wording.
      const proc = await startProcess(`isthmus-${runtime}`, cmd, args, {
        ready: port,
        timeoutMs: 60_000,
        cwd: ctx.root,
      });
      return { proc, port };
    },
  };
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

/** The L4 targets in report order: direct, isthmus per runtime, haproxy, the node:net pipe. */
export function l4Targets(tools, runtimes) {
  return [direct, ...runtimes.map((rt) => isthmus(tools, rt)), haproxy(tools), nodePipe];
}
