// Child processes of the bench: each in its own process group (so a signal reaches a launcher
// and the runtime it started), all of them killed when the bench exits, fails or is interrupted.
import { spawn } from "node:child_process";
import { log } from "./log.mjs";
import { waitForPort } from "./ports.mjs";

const live = new Set();

function killGroup(proc, sig) {
  try {
    process.kill(-proc.pid, sig);
  } catch {
    try {
      process.kill(proc.pid, sig);
    } catch {
      // already gone
    }
  }
}

/** SIGKILLs every process group still running. Synchronous, so it works from an exit hook. */
export function killAll() {
  for (const p of live) killGroup(p, "SIGKILL");
  live.clear();
}

/**
 * Kills every child on exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught error, then runs
 * `atExit` (synchronous cleanup such as removing the temporary directory). Call once, from main.
 */
export function installCleanup(atExit) {
  process.on("exit", () => {
    killAll();
    atExit();
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(sig, () => {
      log(`${sig}: stopping all children`);
      process.exit(130);
    });
  }
  process.on("uncaughtException", (err) => {
    log(`fatal: ${err.stack ?? err}`);
    process.exit(1);
  });
}

const KEEP_LINES = 200;
const KEEP_STDOUT = 1 << 20;

/** A running child: its output (last lines), exit state, and how to stop it. */
class Child {
  constructor(name, child) {
    this.name = name;
    this.pid = child.pid;
    this.exited = false;
    this.code = null;
    this.signal = null;
    this.spawnError = null;
    this.lines = [];
    this.stderrLines = 0;
    this.stdout = "";
    this.match = null;
    this.exitPromise = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.exited = true;
        this.code = code;
        this.signal = signal;
        live.delete(this);
        resolve();
      });
      child.on("error", (err) => {
        this.spawnError = err;
        this.exited = true;
        live.delete(this);
        resolve();
      });
    });
    this.outWaiters = new Set();
    this.capture(child);
  }

  capture(child) {
    let outBuf = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d) => {
      this.stdout += d;
      if (this.stdout.length > KEEP_STDOUT) this.stdout = this.stdout.slice(-(KEEP_STDOUT >> 1));
      outBuf = this.keepLines(outBuf + d, false);
      for (const w of this.outWaiters) w();
    });
    let errBuf = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d) => {
      errBuf = this.keepLines(errBuf + d, true);
    });
  }

  keepLines(buf, isStderr) {
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      this.lines.push(buf.slice(0, i));
      if (this.lines.length > KEEP_LINES) this.lines.shift();
      if (isStderr) this.stderrLines++;
      buf = buf.slice(i + 1);
    }
    return buf;
  }

  exitInfo() {
    if (this.spawnError) return `spawn error: ${this.spawnError.message}`;
    return this.signal ? `signal ${this.signal}` : `code ${this.code}`;
  }

  /** ": <the most telling output line>" then the last lines of output, for error messages. */
  tailText() {
    const telling = this.lines.find((l) =>
      /ALERT|\berror\b|Error|cannot|failed|EADDRINUSE|^isthmus: (?!listener|ready|starting)/.test(l)
    );
    const tail = this.lines.slice(-8).join("\n    ");
    return `${telling ? `: ${telling.trim()}` : ""}${tail ? `\n    ${tail}` : ""}`;
  }

  /** Resolves with the first match of `re` on stdout; rejects on exit or after timeoutMs. */
  async waitForOutput(re, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.stdout);
      if (m) return m;
      if (this.exited) {
        throw new Error(`${this.name} exited (${this.exitInfo()}) before it was ready${this.tailText()}`);
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms${this.tailText()}`);
      await new Promise((resolve) => {
        const wake = () => {
          clearTimeout(t);
          this.outWaiters.delete(wake);
          resolve();
        };
        const t = setTimeout(wake, 200);
        this.outWaiters.add(wake);
      });
    }
  }

  /** Resolves true when the child exited within timeoutMs, false otherwise. */
  async waitExit(timeoutMs) {
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ok = await Promise.race([this.exitPromise.then(() => true), timedOut]);
    clearTimeout(timer);
    return ok;
  }

  /** SIGTERM to the group, SIGKILL after graceMs; always ends with a SIGKILL to the group. */
  async stop(graceMs = 3000) {
    if (!this.exited) {
      killGroup(this, "SIGTERM");
      if (!(await this.waitExit(graceMs))) {
        killGroup(this, "SIGKILL");
        await this.waitExit(1000);
      }
    }
    // A launcher may be gone while its runtime child lingers in the group.
    killGroup(this, "SIGKILL");
    live.delete(this);
  }
}

/**
 * Starts `cmd args` in its own process group. `ready` is a RegExp awaited on stdout (its match
 * lands in `.match`), a port number probed with TCP connects, or undefined (no wait). A child
 * that is not ready within timeoutMs is stopped and the error names its telling output.
 */
export async function startProcess(name, cmd, args, { ready, timeoutMs = 30_000, cwd } = {}) {
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const p = new Child(name, child);
  live.add(p);
  if (ready === undefined) return p;
  try {
    if (typeof ready === "number") await waitForPort(ready, timeoutMs, p);
    else p.match = await p.waitForOutput(ready, timeoutMs);
    if (p.spawnError) throw new Error(`cannot start ${cmd}: ${p.spawnError.message}`);
    return p;
  } catch (err) {
    await p.stop(1000);
    throw err;
  }
}
