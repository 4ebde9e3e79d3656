// Reads a .cpuprofile (Chrome/V8 format, which node --cpu-prof, the inspector's Profiler domain
// and bun --cpu-prof all write) into where the time went: self time per function and per part of
// the proxy (parse, route, pool, encode, runtime I/O, GC), over a time window.

/**
 * The parts of a request's path, by source file (relative to the repository) or by the
 * profiler's own pseudo-frames. First match wins; order matters (the encoder before the rest of
 * core/protocol/http1).
 */
const CATEGORY_RULES = [
  [(f) => f.fn === "(garbage collector)", "GC"],
  [(f) => f.fn === "(program)" || f.fn === "(root)", "runtime native, outside JS (event loop, syscalls)"],
  [(f) => /^core\/protocol\/http1\/(encoder|status-text)\.ts$/.test(f.file), "encode (core/protocol/http1 encoder)"],
  [(f) => f.file.startsWith("core/protocol/http1/"), "parse (core/protocol/http1)"],
  [(f) => f.file.startsWith("core/stream/http1/"), "stream codec (core/stream/http1)"],
  [(f) => f.file.startsWith("core/stream/"), "header map (core/stream)"],
  [(f) => f.file.startsWith("core/router/"), "routing (core/router)"],
  [(f) => /^core\/(proxy|network-filters\/proxy)\//.test(f.file), "proxy phases (core/proxy, proxy filter)"],
  [(f) => /^core\/(pool|upstream)\//.test(f.file), "pool, cluster, balancer (core/pool, core/upstream)"],
  [(f) => f.file.startsWith("core/net/"), "connection, buffers (core/net)"],
  [(f) => f.file.startsWith("core/"), "core, other"],
  [(f) => f.file.startsWith("adapters/"), "adapter (socket glue)"],
  [(f) => f.file.includes("node_modules/"), "dependencies"],
  [(f) => /^(node:|internal\/|ext:|builtin:|bun:)/.test(f.file), "runtime JS (its net/stream layer)"],
  [(f) => f.file === "", "runtime native (builtins, I/O bindings)"],
];

export const IDLE = "(idle)";

/** The category of a frame { fn, file } (file relative to the repository, "" for natives). */
export function categorize(frame) {
  if (frame.fn === IDLE) return IDLE;
  for (const [test, name] of CATEGORY_RULES) if (test(frame)) return name;
  return "other";
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : 0;
}

/**
 * Which clock a profile's timestamps use: node and the inspector write V8's monotonic clock (µs
 * since boot, as process.hrtime), bun writes wall-clock µs since the epoch.
 */
export function profileClock(profile, nowWallUs = Date.now() * 1000) {
  return Math.abs(profile.startTime - nowWallUs) < 86_400e6 * 30 ? "wall" : "monotonic";
}

/**
 * Summarises a profile. `window` ({ startUs, endUs } on the profile's own clock, or null for all)
 * keeps the samples taken under load; `resolve(callFrame)` returns { file, line }: the frame's
 * source file relative to the repository ("" for natives) and its 1-based line. Each sample
 * counts for the median sampling interval: a profiler that samples only while JS runs (bun's)
 * leaves long gaps that are not the previous function's time.
 */
export function analyzeProfile(profile, { window = null, resolve, top = 20 }) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const frameOf = new Map();
  const frame = (id) => {
    let f = frameOf.get(id);
    if (!f) {
      const cf = nodes.get(id).callFrame;
      const { file, line } = resolve(cf);
      f = { fn: cf.functionName || "(anonymous)", file, line };
      f.category = categorize(f);
      f.key = `${f.fn}\u0000${f.file}\u0000${f.file ? f.line : ""}`;
      frameOf.set(id, f);
    }
    return f;
  };
  const counts = new Map(); // frame key -> { frame, samples }
  let t = profile.startTime;
  let kept = 0;
  let idle = 0;
  const deltas = [];
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (window && (t < window.startUs || t > window.endUs)) continue;
    if (i > 0) deltas.push(profile.timeDeltas[i]);
    const f = frame(profile.samples[i]);
    if (f.category === IDLE) {
      idle++;
      continue;
    }
    kept++;
    const c = counts.get(f.key);
    if (c) c.samples++;
    else counts.set(f.key, { frame: f, samples: 1 });
  }
  const intervalUs = median(deltas);
  const byCategory = new Map();
  for (const { frame: f, samples } of counts.values()) {
    byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + samples);
  }
  const share = (n) => (kept > 0 ? n / kept : 0);
  return {
    samples: kept,
    idleSamples: idle,
    intervalUs,
    busyMs: (kept * intervalUs) / 1000,
    categories: [...byCategory].map(([name, samples]) => ({ name, samples, share: share(samples) }))
      .sort((a, b) => b.samples - a.samples),
    top: [...counts.values()].sort((a, b) => b.samples - a.samples).slice(0, top).map(({ frame: f, samples }) => ({
      fn: f.fn,
      file: f.file,
      line: f.line,
      category: f.category,
      samples,
      share: share(samples),
    })),
  };
}
