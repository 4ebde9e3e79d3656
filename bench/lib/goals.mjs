// The HTTP proxy's targets (issue 9), checked against one load section's medians: per proxy core
// against nginx and npm http-proxy, and p99 added over direct; the RPC proxy's: req/s of one
// worker and p99 added over direct. Each goal is { text, value, met }
// (met: true, false, or null when a figure it needs is missing).
import { fmt } from "./tables.mjs";

function medianOf(section, name) {
  const t = section.targets.find((x) => x.name === name && x.summary?.ok);
  return t ? t.summary.median : null;
}

function ratioGoal(text, a, b, min) {
  if (!(a > 0 && b > 0)) return { text, value: "not measured", met: null };
  const r = a / b;
  return { text, value: `${fmt.f2(r)}x`, met: r >= min };
}

/** The goals of an HTTP/1.1 section, in the issue's order. */
export function httpGoals(section) {
  const nginx = medianOf(section, "nginx");
  const httpProxy = medianOf(section, "http-proxy");
  const direct = medianOf(section, "direct");
  const runtimes = section.targets.filter((t) => t.group === "isthmus" && t.summary?.ok);
  const fastest = runtimes.reduce(
    (best, t) => (best && best.summary.median.rpsPerCore >= t.summary.median.rpsPerCore ? best : t),
    null,
  );
  const node = medianOf(section, "isthmus-node");
  const goals = [
    ratioGoal(
      `fastest runtime${fastest ? ` (${fastest.name})` : ""} at least 1.0x nginx per core`,
      fastest?.summary.median.rpsPerCore,
      nginx?.rpsPerCore,
      1.0,
    ),
    ratioGoal("isthmus-node at least 0.7x nginx per core", node?.rpsPerCore, nginx?.rpsPerCore, 0.7),
    ratioGoal("isthmus-node at least 3x http-proxy per core", node?.rpsPerCore, httpProxy?.rpsPerCore, 3),
  ];
  for (const t of runtimes) goals.push(p99Goal(section, t, direct));
  return goals;
}

/**
 * "p99 added over direct at most 1 ms" for target `t`, read from the light-load run when the
 * section has one (section.latency): under a saturating closed loop every request waits behind
 * the others in flight, which is throughput, not added latency.
 */
function p99Goal(section, t, direct) {
  const lat = section.latency;
  const key = lat ? "latencyP99Ms" : "p99Ms";
  const text = `${t.name}: p99 added over direct at most 1 ms${
    lat ? ` (at ${lat.connections} x ${lat.inflight} in flight)` : ""
  }`;
  const p99 = t.summary?.ok ? t.summary.median[key] : undefined, base = direct?.[key];
  return Number.isFinite(p99) && Number.isFinite(base)
    ? { text, value: `${fmt.signed(p99 - base)} ms`, met: p99 - base <= 1 }
    : { text, value: "not measured", met: null };
}

/** One worker's req/s MOSN 0.2.1 published for SOFARPC Bolt on one core: the RPC target. */
export const RPC_MIN_RPS = 16_000;

/**
 * The goals of an RPC section (the xprotocol issue's): on every runtime, one worker at least
 * 16,000 req/s and p99 added over direct at most 1 ms (in the light-load run when the section
 * has one: section.latency). A runtime that did not run (isthmus
 * skipped a protocol it does not serve yet, or failed) is "not measured".
 */
export function rpcGoals(section) {
  const direct = medianOf(section, "direct");
  const goals = [];
  for (const t of section.targets.filter((x) => x.group === "isthmus")) {
    const m = t.summary?.ok ? t.summary.median : null;
    const rpsText = `${t.name}: one worker at least ${fmt.int(RPC_MIN_RPS)} req/s (MOSN 0.2.1's one-core Bolt figure)`;
    goals.push(
      m && Number.isFinite(m.rps)
        ? { text: rpsText, value: `${fmt.int(m.rps)} req/s`, met: m.rps >= RPC_MIN_RPS }
        : { text: rpsText, value: "not measured", met: null },
    );
    goals.push(p99Goal(section, t, direct));
  }
  return goals;
}

/** "met", "NOT met" or "unknown", for the reports. */
export function verdict(goal) {
  return goal.met === null ? "unknown" : goal.met ? "met" : "NOT met";
}
