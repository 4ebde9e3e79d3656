// Plain-text and Markdown renderings of the report (tables from tables.mjs).
import { verdict } from "./goals.mjs";
import { churnTable, idleTable, loadTable } from "./tables.mjs";

/** A table as aligned plain text. */
export function renderText({ header, body, right }) {
  const full = body.filter((r) => r.length === header.length);
  const widths = header.map((h, i) => Math.max(h.length, ...(i === 0 ? body : full).map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.length < header.length
      ? `${String(cells[0]).padEnd(widths[0])}  ${cells.slice(1).join("  ")}`
      : cells.map((c, i) => (right[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join("  ")
        .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

/** A table as GitHub Markdown. */
export function renderMarkdown({ header, body, right }) {
  const esc = (c) => String(c).replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [`| ${header.join(" | ")} |`, `|${right.map((r) => (r ? "---:" : ":---")).join("|")}|`];
  for (const r of body) {
    const cells = r.length < header.length ? [r[0], r.slice(1).join(" "), ...Array(header.length - 2).fill("")] : r;
    lines.push(`| ${cells.map(esc).join(" | ")} |`);
  }
  return lines.join("\n");
}

/** The lines that say on what and how everything was measured (shared by text and Markdown). */
export function headerLines(report) {
  const { info, settings: s } = report;
  const v = info.versions;
  return [
    `machine: ${info.nproc} CPU (nproc; allowed ${info.cpusAllowed}), ${info.cpuModel}, ${info.memory} RAM, ${info.kernel}; load average at start ${
      info.loadavgAtStart.join(" ")
    }`,
    `versions: ${v.node} | ${v.deno} | ${v.bun} | ${v.haproxy} | ${v.nginx} | ${v.wrk} | ${v.httpProxy}`,
    `${s.duration} s measured after ${s.warmup} s warm-up per visit; rounds: ${s.repeat}, each visiting every target once in an order rotated per round; each target starts fresh on every visit`,
  ];
}

/** The lines that say how one load section was run: placement, load, upstream. */
export function sectionLines(section) {
  return [
    `pinning: ${section.pinning.note}`,
    `load: ${section.load}${section.loadNote ? ` (${section.loadNote})` : ""}; upstream: ${section.upstream}`,
  ];
}

/** One line per goal of a section: "goal: value, met". */
export function goalLines(section) {
  return (section.goals ?? []).map((g) => `${g.text}: ${g.value}, ${verdict(g)}`);
}

/** Footnotes on how the figures are computed. */
export function methodNotes() {
  return [
    "Figures are medians over the rounds that succeeded, each metric on its own (median req/s, median p99, median RSS, median CPU); the range is the lowest and highest req/s of those rounds.",
    "proxy CPU = utime+stime of the proxy's whole process tree (launcher, runtime child, workers; nginx master and workers) during the measured run / the run's duration; req/s per proxy core = req/s / that share (= requests per proxy CPU second), per round, then the median.",
    "RSS = sum over the proxy's process tree, sampled every 200 ms; peak = the highest sum (shared pages count once per process). load side CPU = load generator + upstream CPU over the run's wall time (100% = one core).",
    "others / steal on proxy CPU = user+system time of the proxy's core(s) (/proc/stat) that was not the proxy tree's (other processes of a shared machine), and time the hypervisor took: both near 0% for a clean figure. Interrupt time (loopback packet work, charged to no process) is in latest.json only.",
    "proxy µs/req user + sys = the proxy tree's CPU per request in user space (its code and runtime) and in the kernel (system calls and the loopback packet work they do), from utime and stime.",
    "upstream conns (downstream), RPC sections: connections the upstream accepted during the visit, warm-up included, and in brackets the connections the load generators opened to the target (one set each for the warm-up, the measured run and the light-load run); a proxy that multiplexes keeps the first figure small whatever the second.",
    "p99 ms at CxN (added), HTTP and RPC sections: p99 of a light-load run (C connections, N requests in flight each) made after the measured run on the same target, and what it adds over direct's; the p99 goals read it, since under a saturating closed loop p99 is about the requests in flight / req/s for any target.",
    "x <anchor> per core = per-core figure relative to that anchor's (haproxy for L4; nginx and http-proxy for HTTP/1.1); p99 added = p99 minus direct's p99. node-pipe and http-proxy are baselines (what the usual Node code does), not ceilings.",
  ];
}

/** The tables of the report in order, each with its title, lines above and goals below. */
export function reportTables(report) {
  const repeat = report.settings.repeat;
  const out = report.loads.map((sec) => ({
    title: sec.title,
    lines: sectionLines(sec),
    table: loadTable(sec, repeat),
    goals: goalLines(sec),
  }));
  if (report.churn) {
    const c = report.settings;
    out.push({
      title:
        `Connection churn: ${c.churnConns} connections, ${c.churnConcurrency} at a time, one 16-byte echo each, then close (cap ${c.churnSeconds} s); upstream ${report.churn.upstream}`,
      lines: [],
      table: churnTable(report.churn, repeat),
      goals: [],
    });
  }
  if (report.idle) {
    const byName = new Map(report.idle.targets.map((t) => [t.name, t]));
    out.push({
      title:
        `Memory per idle connection (${report.settings.idleConns} clients connect through the proxy, upstream accepts, no data)`,
      lines: [],
      table: idleTable(report.idle.rows, byName),
      goals: [],
    });
  }
  return out;
}

/** The whole report as a Markdown document (written to latest.md). */
export function markdownReport(report) {
  const md = [`**${report.title} - ${report.info.date}**`, "", ...headerLines(report).map((l) => `- ${l}`), ""];
  for (const { title, lines, table, goals } of reportTables(report)) {
    md.push(`${title}:`, "");
    if (lines.length) md.push(...lines.map((l) => `- ${l}`), "");
    md.push(renderMarkdown(table), "");
    if (goals.length) md.push("Targets:", "", ...goals.map((l) => `- ${l}`), "");
  }
  md.push(...methodNotes().map((l) => `- ${l}`), "");
  return md.join("\n");
}

/** The whole report as plain text (printed). */
export function textReport(report) {
  const out = [`${report.title} - ${report.info.date}`, ...headerLines(report), ""];
  for (const { title, lines, table, goals } of reportTables(report)) {
    out.push(`${title}:`, ...lines, renderText(table));
    if (goals.length) out.push("targets:", ...goals.map((l) => `  ${l}`));
    out.push("");
  }
  out.push(...methodNotes(), `total bench time ${Math.round(report.elapsedSeconds)} s`, "");
  return out.join("\n");
}
