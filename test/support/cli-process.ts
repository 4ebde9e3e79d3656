// Runs the real CLI as a user does (the launcher, `npm start` or `npx isthmus`) and looks at
// the processes it leaves behind. Linux only: process liveness is read from /proc.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sleep, withTimeout } from "./bytes.ts";
import { nativeRuntime, runtimeName } from "./runtime.ts";

export const ROOT = new URL("../../", import.meta.url).pathname;
export const LAUNCHER = join(ROOT, "adapters/cli/isthmus.mjs");

export interface IsthmusProcess {
  /** Pid of the process the test spawned (the launcher, npm or npx). */
  readonly pid: number;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Resolves with the first match of `re` in stdout, or else in stderr; rejects after `ms`. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves once stdout matches `re` `count` times. */
  waitForCount(re: RegExp, count: number, ms?: number): Promise<void>;
  kill(sig: "SIGTERM" | "SIGINT" | "SIGKILL"): void;
}

/**
 * Starts isthmus with `args` plus `--runtime <the runtime running this test>`, through the
 * launcher (`node adapters/cli/isthmus.mjs`), `npm start --` or `npx isthmus`.
 */
export function isthmus(args: string[], via: "launcher" | "npm start" | "npx" = "launcher"): IsthmusProcess {
  const full = [...args, "--runtime", runtimeName()];
  const [cmd, argv] = via === "launcher"
    ? ["node", [LAUNCHER, ...full]]
    : via === "npm start"
    ? ["npm", ["start", "--silent", "--", ...full]]
    : ["npx", ["--yes", "isthmus", ...full]];
  const child = spawn(cmd, argv as string[], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const matches = (re: RegExp) =>
    [...p.stdout.matchAll(new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g"))].length;
  const p: IsthmusProcess = {
    pid: child.pid!,
    stdout: "",
    stderr: "",
    exited: new Promise((r) => child.on("exit", (code) => r(code))),
    waitFor: (re, ms = 20000) =>
      waitUntil(
        () => p.stdout.match(re) ?? p.stderr.match(re) ?? undefined,
        ms,
        `output matching ${re} (stdout: ${p.stdout} stderr: ${p.stderr})`,
      ),
    waitForCount: (re, count, ms = 20000) =>
      waitUntil(
        () => matches(re) >= count || undefined,
        ms,
        `${count} lines matching ${re} (stdout: ${p.stdout} stderr: ${p.stderr})`,
      ).then(() => {}),
    // process.kill, not child.kill: Deno's node:child_process sends only the first signal.
    kill: (sig) => process.kill(child.pid!, sig),
  };
  child.stdout!.on("data", (c) => (p.stdout += c));
  child.stderr!.on("data", (c) => (p.stderr += c));
  started.push(p);
  return p;
}

const started: IsthmusProcess[] = [];

/**
 * SIGKILLs whatever a test left running (a failed test stops half-way): every process it
 * spawned, their children, and the proxies they printed. For `after()` in each test file.
 */
export function killLeftovers(): void {
  for (const p of started.splice(0)) {
    const pids = [p.pid, ...childrenOf(p.pid), ...proxyPids(p.stdout)];
    for (const c of childrenOf(p.pid)) pids.push(...childrenOf(c));
    for (const pid of pids) {
      if (!alive(pid)) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

/** Polls `check` every 20 ms until it returns a value; rejects after `ms`. */
export function waitUntil<T>(check: () => T | undefined, ms: number, what: string): Promise<T> {
  return withTimeout(
    (async () => {
      for (;;) {
        const v = check();
        if (v !== undefined) return v;
        await sleep(20);
      }
    })(),
    ms,
    what,
  );
}

const dir = mkdtempSync(join(tmpdir(), "isthmus-cli-"));

export function configFile(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

export async function freePort(): Promise<number> {
  const rt = await nativeRuntime();
  const l = await rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy());
  const port = l.address.port;
  await l.close();
  return port;
}

/** True while a plain bind of the port fails: some process still listens there. */
export async function portHeld(port: number): Promise<boolean> {
  const rt = await nativeRuntime();
  try {
    const l = await rt.listen({ host: "127.0.0.1", port }, (s) => s.destroy());
    await l.close();
    return false;
  } catch {
    return true;
  }
}

/** A process that exited is gone, or a zombie its new parent has not reaped yet. */
export function alive(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    // "pid (comm) S ...": the state follows the last ")".
    const text = readFileSync(stat, "utf8");
    return text.slice(text.lastIndexOf(")") + 2, text.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Direct children of a process. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Pids the proxy processes printed in their start line ("isthmus 0.1.0 on ..., pid N"). */
export function proxyPids(stdout: string): number[] {
  return [...stdout.matchAll(/^isthmus \S+ on .*, pid (\d+)$/gm)].map((m) => Number(m[1]));
}

/** Resolves once none of `pids` is alive and nothing listens on `ports` (bounded by `ms`). */
export async function allGone(pids: number[], ports: number[], ms = 15000): Promise<void> {
  await waitUntil(
    () => (pids.some(alive) ? undefined : true),
    ms,
    `processes ${pids.filter(alive).join(", ")} to exit`,
  );
  const deadline = Date.now() + ms;
  for (const port of ports) {
    while (await portHeld(port)) {
      if (Date.now() > deadline) throw new Error(`port ${port} is still held`);
      await sleep(50);
    }
  }
}

/** A tcp_proxy listener in front of an echo listener in the same process. */
export function proxyConfig(
  proxyPort: number | string,
  echoPort: number,
  opts: { graceful?: string; cluster?: string } = {},
): string {
  return `
servers:
  - default_log_path: stdout
    ${opts.graceful ? `graceful_timeout: ${opts.graceful}` : ""}
    listeners:
      - name: front
        address: 127.0.0.1:${proxyPort}
        bind_port: true
        filter_chains:
          - filters:
              - type: tcp_proxy
                config: { cluster: echo }
      - name: echo
        address: 127.0.0.1:${echoPort}
        bind_port: true
        filter_chains:
          - filters:
              - type: echo
cluster_manager:
  clusters:
    - name: echo
      type: SIMPLE
      lb_type: LB_ROUNDROBIN
      ${opts.cluster ?? ""}
      hosts: [{ address: "127.0.0.1:${echoPort}" }]
`;
}
