// What every peer script in test/peers shares: `--flag value` parsing, one JSON line per event
// on stdout, a logger that keeps the libraries' chatter on stderr, and a clean exit on SIGTERM,
// SIGINT or, when stdin is a pipe (test/support/rpc-peers.ts spawns them so), stdin closing.
import { fstatSync } from "node:fs";
import { format } from "node:util";

/**
 * `--name value` pairs and bare `--flag`s (true) into an object; numbers stay strings, so
 * callers say what they expect with num() and str().
 */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf("=");
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return {
    raw: out,
    str: (k, d) => (out[k] === undefined || out[k] === true ? d : String(out[k])),
    num: (k, d) => {
      if (out[k] === undefined) return d;
      const n = Number(out[k]);
      if (!Number.isFinite(n)) throw new Error(`--${k} wants a number, got ${out[k]}`);
      return n;
    },
    flag: (k) => out[k] === true || out[k] === "true",
  };
}

/** One JSON line on stdout: the only thing a peer prints there. */
export function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

/**
 * A logger for the libraries (they want console-like info/warn/error/debug). Everything goes to
 * stderr, prefixed with the peer's name; `onWarn` sees each warning's text so a peer can count
 * what the library complained about (e.g. a response to an unknown request id).
 */
export function stderrLogger(name, onWarn = () => {}) {
  const line = (level, args) => process.stderr.write(`${name} ${level}: ${format(...args)}\n`);
  const quiet = process.env.RPC_PEERS_VERBOSE ? (...a) => line("info", a) : () => {};
  return {
    debug: quiet,
    info: quiet,
    warn: (...a) => {
      onWarn(format(...a));
      line("warn", a);
    },
    error: (...a) => line("error", a),
  };
}

/**
 * Runs `stop` once on SIGTERM, SIGINT or stdin closing (only when stdin is a pipe or socket: a
 * terminal or /dev/null does not end the peer), then exits 0; exits 1 if `stop` throws or
 * takes longer than `ms`.
 */
export function onShutdown(stop, ms = 5000) {
  let stopping = false;
  const run = async () => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write("shutdown took too long\n");
      process.exit(1);
    }, ms);
    timer.unref();
    try {
      await stop();
      process.exit(0);
    } catch (err) {
      process.stderr.write(`shutdown failed: ${err?.stack ?? err}\n`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", run);
  process.on("SIGINT", run);
  let piped = false;
  try {
    const st = fstatSync(0);
    piped = st.isFIFO() || st.isSocket();
  } catch {
    // No stdin at all.
  }
  if (piped) {
    process.stdin.on("end", run);
    process.stdin.on("close", run);
    process.stdin.on("error", run);
    process.stdin.resume();
  }
  return run;
}

/** "host:port" into its parts; only loopback hosts are accepted (the peers are for local tests). */
export function loopback(address) {
  const m = /^(127\.\d+\.\d+\.\d+|localhost):(\d+)$/.exec(address ?? "");
  if (!m) throw new Error(`--address wants 127.x.x.x:PORT, got ${address}`);
  return { host: m[1], port: Number(m[2]) };
}

/**
 * Runs `calls` tasks with at most `concurrency` in flight, each `task(i)` awaited; bounded by
 * `deadlineMs` overall: tasks not started by then are counted as skipped.
 */
export async function runBounded(calls, concurrency, deadlineMs, task) {
  const end = Date.now() + deadlineMs;
  let next = 0;
  let skipped = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      if (Date.now() > end) {
        skipped++;
        continue;
      }
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, calls)) }, worker));
  return { skipped };
}

/** A summary of settled calls that a test can check at a glance. */
export class Tally {
  constructor() {
    this.ok = 0;
    this.errors = [];
    this.errorCount = 0;
    this.sample = [];
    this.by = {};
    this.mismatches = 0;
  }

  /** A reply; `who` is the answering server's name, for `by`. */
  pass(result, who) {
    this.ok++;
    if (this.sample.length < 5) this.sample.push(result);
    if (who !== undefined) this.by[who] = (this.by[who] ?? 0) + 1;
  }

  fail(err) {
    this.errorCount++;
    // The first 20 are kept whole; the rest only counted.
    if (this.errors.length < 20) {
      this.errors.push({ name: err?.name ?? "Error", message: String(err?.message ?? err) });
    }
  }

  toJSON() {
    return {
      ok: this.ok,
      errorCount: this.errorCount,
      mismatches: this.mismatches,
      errors: this.errors,
      by: this.by,
      sample: this.sample,
    };
  }
}
