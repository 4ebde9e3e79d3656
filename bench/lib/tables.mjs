// The report's tables as { header, body, right } (right: which columns align right). A body row
// shorter than the header is a target that did not run: its name, then why.
import { median } from "./summary.mjs";

const ROLE = { reference: "reference", anchor: "anchor", baseline: "baseline" };

const isNum = (v) => typeof v === "number" && Number.isFinite(v);
export const fmt = {
  int: (v) => (isNum(v) ? Math.round(v).toLocaleString("en-US") : "-"),
  f1: (v) => (isNum(v) ? v.toFixed(1) : "-"),
  f2: (v) => (isNum(v) ? v.toFixed(2) : "-"),
  pct: (v) => (isNum(v) ? `${Math.round(v * 100)}%` : "-"),
  mib: (k) => (isNum(k) ? (k / 1024).toFixed(1) : "-"),
  signed: (v) => (isNum(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(2)}` : "-"),
  ratio: (a, b) => (isNum(a) && isNum(b) && b > 0 ? (a / b).toFixed(2) : "-"),
};

/** "isthmus-node", "haproxy (anchor)", "node-pipe (baseline)", "direct (reference)". */
export function displayName(t) {
  return ROLE[t.group] ? `${t.name} (${ROLE[t.group]})` : t.name;
}

function medianWithRange(s, key, repeat, f = fmt.int) {
  const m = s.median[key];
  const r = s.range[key];
  return repeat > 1 && r && s.ok > 1 ? `${f(m)} (${f(r[0])}-${f(r[1])})` : f(m);
}

/**
 * The processes of the target's tree with each one's peak RSS in MiB (median over rounds of the
 * sum per process name), e.g. "node 43.0 + deno 71.5": the tree figure includes the launcher.
 */
function treeBreakdown(rounds) {
  const perName = new Map();
  for (const r of rounds) {
    if (!r.ok || !r.proxyProcesses) continue;
    const sums = new Map();
    for (const p of r.proxyProcesses) sums.set(p.comm, (sums.get(p.comm) ?? 0) + p.rssPeakKiB);
    for (const [name, kib] of sums) {
      if (!perName.has(name)) perName.set(name, []);
      perName.get(name).push(kib);
    }
  }
  if (perName.size === 0) return "-";
  return [...perName].map(([name, values]) => `${name} ${fmt.mib(median(values))}`).join(" + ");
}

function notRun(t) {
  if (t.missing) return [displayName(t), t.missing];
  const where = t.summary.rounds > 1 ? ` in all ${t.summary.rounds} rounds` : "";
  return [displayName(t), `FAILED${where}: ${t.summary.lastError ?? "?"}`];
}

function problems(t, errorCount) {
  const parts = [];
  if (t.rounds.some((r) => r.pinnedAsPlanned === false)) parts.push("not pinned as planned");
  if (errorCount) parts.push(`${errorCount} errors`);
  if (t.summary.failed) parts.push(`${t.summary.failed}/${t.summary.rounds} rounds failed: ${t.summary.lastError}`);
  return parts.join("; ") || "0";
}

/**
 * The load table of one section: medians over rounds, ratios against direct and, per proxy
 * core, against each of `section.ratios` (target names: "haproxy", or "nginx" and "http-proxy");
 * with `section.cpuPerRequest`, the proxy's CPU per request split into user and kernel time;
 * with `section.upstreamConnections`, the connections the upstream accepted during the visit and,
 * in brackets, those the load opened (for a proxy: how many upstream connections it needed);
 * with `section.latency`, the p99 of the light-load run and what it adds over direct's.
 */
export function loadTable(section, repeat) {
  const unit = section.unit;
  const find = (name) => section.targets.find((t) => t.name === name && t.summary?.ok);
  const direct = find("direct")?.summary.median;
  const anchors = section.ratios.map((name) => ({ name, median: find(name)?.summary.median }));
  const header = [
    "target",
    repeat > 1 ? `${unit} median (range)` : unit,
    "proxy CPU",
    `${unit} per proxy core`,
    "p99 ms",
    "p99 added ms",
    ...(section.latency ? [`p99 ms at ${section.latency.connections}x${section.latency.inflight} (added)`] : []),
    "x direct",
    ...(section.upstreamConnections ? ["upstream conns (downstream)"] : []),
    ...anchors.map((a) => `x ${a.name} per core`),
    ...(section.cpuPerRequest ? ["proxy µs/req user + sys"] : []),
    "proxy RSS MiB idle -> peak",
    "load side CPU",
    "others / steal on proxy CPU",
    "proxy processes (peak RSS MiB)",
    "errors",
  ];
  const body = section.targets.map((t) => {
    if (!t.summary?.ok) return notRun(t);
    const m = t.summary.median;
    const isDirect = t.name === "direct";
    return [
      displayName(t),
      medianWithRange(t.summary, "rps", repeat),
      fmt.pct(m.proxyCpuShare),
      fmt.int(m.rpsPerCore),
      fmt.f2(m.p99Ms),
      isDirect || !direct ? "-" : fmt.signed(m.p99Ms - direct.p99Ms),
      ...(section.latency
        ? [
          isDirect || !direct
            ? fmt.f2(m.latencyP99Ms)
            : `${fmt.f2(m.latencyP99Ms)} (${fmt.signed(m.latencyP99Ms - direct.latencyP99Ms)})`,
        ]
        : []),
      fmt.ratio(m.rps, direct?.rps),
      ...(section.upstreamConnections
        ? [`${fmt.int(m.upstreamConnections)} (${fmt.int(m.downstreamConnections)})`]
        : []),
      ...anchors.map((a) => fmt.ratio(m.rpsPerCore, a.median?.rpsPerCore)),
      ...(section.cpuPerRequest
        ? [isDirect ? "-" : `${fmt.f1(m.proxyUserUsPerRequest)} + ${fmt.f1(m.proxySysUsPerRequest)}`]
        : []),
      isDirect ? "-" : `${fmt.mib(m.proxyRssIdleKiB)} -> ${fmt.mib(m.proxyRssPeakKiB)}`,
      fmt.pct(m.loadSideCpuShare),
      m.proxyCoreOthersShare === null ? "-" : `${fmt.pct(m.proxyCoreOthersShare)} / ${fmt.pct(m.proxyCoreStealShare)}`,
      treeBreakdown(t.rounds),
      problems(t, t.summary.errorCount),
    ];
  });
  const right = header.map((_, i) => i > 0 && i < header.length - 2);
  return { header, body, right };
}

/** The connection churn table: connections per second, per proxy core, latency and leaks. */
export function churnTable(section, repeat) {
  const header = [
    "target",
    "connections",
    repeat > 1 ? "conn/s median (range)" : "conn/s",
    "proxy CPU",
    "conn/s per proxy core",
    "p50 ms",
    "p99 ms",
    "proxy RSS peak MiB",
    "fds left after close",
    "load side CPU",
    "errors",
  ];
  const body = section.targets.map((t) => {
    if (!t.summary?.ok) return notRun(t);
    const m = t.summary.median;
    const last = t.rounds.filter((r) => r.ok).at(-1);
    const failedConns = t.rounds.filter((r) => r.ok).reduce((a, r) => a + r.failed, 0);
    return [
      displayName(t),
      `${fmt.int(m.completed)} of ${fmt.int(last.connections)}${
        t.rounds.some((r) => r.timedOut) ? " (time cap hit)" : ""
      }`,
      medianWithRange(t.summary, "connPerSec", repeat),
      fmt.pct(m.proxyCpuShare),
      fmt.int(m.connPerCore),
      fmt.f2(m.p50Ms),
      fmt.f2(m.p99Ms),
      fmt.mib(m.proxyRssPeakKiB),
      t.name === "direct" ? "-" : fmt.int(m.proxyFdsLeft),
      fmt.pct(m.loadSideCpuShare),
      problems(t, failedConns),
    ];
  });
  return { header, body, right: [false, true, true, true, true, true, true, true, true, true, false] };
}

/** The memory-per-idle-connection table. */
export function idleTable(rows, targetsByName) {
  const header = [
    "target",
    "idle conns",
    "RSS before MiB",
    "RSS with conns MiB",
    "KiB per idle conn",
    "RSS after close MiB",
    "upstream saw",
  ];
  const body = rows.map((r) => {
    const t = targetsByName.get(r.target);
    if (t.missing) return [displayName(t), t.missing];
    if (!r.ok) return [displayName(t), `FAILED: ${r.error ?? "?"}`];
    return [
      displayName(t),
      fmt.int(r.connections),
      fmt.mib(r.rssBeforeKiB),
      fmt.mib(r.rssWithConnsKiB),
      fmt.f1(r.kibPerConn),
      fmt.mib(r.rssAfterCloseKiB),
      fmt.int(r.upstreamAccepted),
    ];
  });
  return { header, body, right: [false, true, true, true, true, true, true] };
}
