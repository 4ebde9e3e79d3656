// The report as one self-contained HTML page (latest.html): inline SVG charts drawn here, inline
// CSS, no script and no external file, so it opens from disk anywhere.
import { verdict } from "./goals.mjs";
import { headerLines, methodNotes, reportTables } from "./report-text.mjs";
import { displayName, fmt } from "./tables.mjs";

const COLORS = {
  direct: "#9ca3af",
  "isthmus-node": "#2f7d32",
  "isthmus-deno": "#1f2937",
  "isthmus-bun": "#c2410c",
  haproxy: "#1d4ed8",
  "node-pipe": "#7c3aed",
  nginx: "#0f766e",
  "http-proxy": "#a21caf",
};
const FALLBACK = ["#0e7490", "#a16207", "#be185d", "#4d7c0f"];

function color(name, i) {
  return COLORS[name] ?? FALLBACK[i % FALLBACK.length];
}

export function esc(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

/** A tick step of 1, 2 or 5 times a power of ten giving about `n` ticks up to max. */
export function niceStep(max, n = 5) {
  if (!(max > 0)) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
}

function short(v) {
  if (v >= 10_000) return `${Math.round(v / 1000)}k`;
  if (v >= 100) return String(Math.round(v));
  return v >= 10 ? v.toFixed(1) : String(Math.round(v * 100) / 100);
}

/**
 * A horizontal bar chart: one bar per row at its median, a whisker over the rounds' range and a
 * dot per round. rows: [{ label, color, value, range: [min, max] | null, points: number[],
 * parts?: [{ label, value }] }]; a row with parts is drawn stacked (the parts sum to value).
 */
export function barChart({ title, unit, rows, note }) {
  const shown = rows.filter((r) => typeof r.value === "number" && Number.isFinite(r.value));
  const W = 760, L = 190, R = 90, top = 34, rowH = 30, bottom = 30;
  const H = top + Math.max(1, shown.length) * rowH + bottom;
  const max = Math.max(1e-9, ...shown.map((r) => Math.max(r.value, r.range?.[1] ?? 0, ...r.points)));
  const step = niceStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const x = (v) => L + ((W - L - R) * v) / axisMax;
  const parts = [`<text x="4" y="18" class="t">${esc(title)}</text>`];
  const decimals = step >= 1 ? 0 : Math.ceil(-Math.log10(step));
  const tick = (v) => (v >= 10_000 && step >= 1000 ? `${v / 1000}k` : v.toFixed(decimals));
  for (let i = 0; i * step <= axisMax + step / 2; i++) {
    const v = i * step;
    parts.push(
      `<line x1="${x(v)}" y1="${top - 4}" x2="${x(v)}" y2="${H - bottom}" class="g"/>`,
      `<text x="${x(v)}" y="${H - bottom + 16}" class="a">${tick(v)}</text>`,
    );
  }
  shown.forEach((r, i) => {
    const y = top + i * rowH;
    const cy = y + rowH / 2;
    parts.push(`<text x="${L - 8}" y="${cy + 4}" class="l">${esc(r.label)}</text>`);
    if (r.parts) {
      // Stacked: each part from where the previous ended, lighter the further right.
      let at = 0;
      r.parts.forEach((p, k) => {
        parts.push(
          `<rect x="${x(at)}" y="${y + 6}" width="${Math.max(1, x(at + p.value) - x(at))}" height="${
            rowH - 12
          }" fill="${r.color}" opacity="${k === 0 ? 0.85 : 0.45}"><title>${
            esc(`${r.label}: ${p.label} ${short(p.value)} ${unit}`)
          }</title></rect>`,
        );
        at += p.value;
      });
    } else {
      parts.push(
        `<rect x="${L}" y="${y + 6}" width="${Math.max(1, x(r.value) - L)}" height="${
          rowH - 12
        }" fill="${r.color}" opacity="0.85"><title>${esc(`${r.label}: ${r.value} ${unit}`)}</title></rect>`,
      );
    }
    if (r.range && r.range[1] > r.range[0]) {
      parts.push(`<line x1="${x(r.range[0])}" y1="${cy}" x2="${x(r.range[1])}" y2="${cy}" class="w"/>`);
      for (const v of r.range) parts.push(`<line x1="${x(v)}" y1="${cy - 6}" x2="${x(v)}" y2="${cy + 6}" class="w"/>`);
    }
    for (const p of r.points) {
      parts.push(
        `<circle cx="${x(p)}" cy="${cy}" r="2.5" class="d"><title>${esc(`round: ${p} ${unit}`)}</title></circle>`,
      );
    }
    const right = Math.max(x(r.value), r.range ? x(r.range[1]) : 0, ...r.points.map(x));
    parts.push(`<text x="${right + 6}" y="${cy + 4}" class="v">${esc(short(r.value))}</text>`);
  });
  if (shown.length === 0) parts.push(`<text x="${L}" y="${top + 20}" class="l0">no data</text>`);
  const missing = rows.filter((r) => !shown.includes(r)).map((r) => r.label);
  const foot = [note, missing.length ? `not shown: ${missing.join(", ")}` : null].filter(Boolean).join(" · ");
  return `<figure><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">${
    parts.join("")
  }</svg>${foot ? `<figcaption>${esc(foot)}</figcaption>` : ""}</figure>`;
}

/** Chart rows for one metric of a section (load or churn), targets in report order. */
function metricRows(section, key, { scale = 1, skip = () => false } = {}) {
  return section.targets
    .filter((t) => !skip(t))
    .map((t, i) => {
      const s = t.summary;
      const val = s?.ok ? s.median[key] : null;
      return {
        label: displayName(t),
        color: color(t.name, i),
        value: val === null || val === undefined ? null : val * scale,
        range: s?.ok && s.range[key] ? s.range[key].map((v) => v * scale) : null,
        points: (t.rounds ?? []).filter((r) => r.ok && Number.isFinite(r[key])).map((r) => r[key] * scale),
      };
    });
}

function htmlTable({ header, body, right }) {
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>`;
  const rows = body.map((r) =>
    r.length < header.length
      ? `<tr><td>${esc(r[0])}</td><td colspan="${header.length - 1}" class="x">${esc(r.slice(1).join(" "))}</td></tr>`
      : `<tr>${r.map((c, i) => `<td${right[i] ? ' class="n"' : ""}>${esc(c)}</td>`).join("")}</tr>`
  );
  return `<table>${head}${rows.join("")}</table>`;
}

function kvTable(pairs) {
  return `<table class="kv">${pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>`;
}

function roundsTable(report) {
  const header = [
    "section",
    "round",
    "target",
    "result",
    "proxy CPU",
    "per proxy core",
    "p50 ms",
    "p99 ms",
    "proxy RSS peak MiB",
    "errors",
  ];
  const body = [];
  const add = (section, t, r, rate, perCore) =>
    body.push(
      r.ok
        ? [
          section,
          r.round,
          t.name,
          fmt.int(r[rate]),
          fmt.pct(r.proxyCpuShare),
          fmt.int(r[perCore]),
          fmt.f2(r.p50Ms),
          fmt.f2(r.p99Ms),
          fmt.mib(r.proxyRssPeakKiB),
          String(r.errorCount ?? r.failed ?? 0),
        ]
        : [section, r.round, t.name, `FAILED: ${r.error}`, "", "", "", "", "", ""],
    );
  for (const sec of report.loads) {
    for (const t of sec.targets) {
      for (const r of t.rounds ?? []) add(`${sec.id} (${sec.unit})`, t, r, "rps", "rpsPerCore");
    }
  }
  for (const t of report.churn?.targets ?? []) {
    for (const r of t.rounds ?? []) add("churn (conn/s)", t, r, "connPerSec", "connPerCore");
  }
  // Sections keep the report's order; rounds in order within each.
  const order = [...new Set(body.map((r) => r[0]))];
  body.sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : order.indexOf(a[0]) - order.indexOf(b[0])));
  return htmlTable({ header, body: body.map((r) => r.map(String)), right: header.map((_, i) => i === 1 || i >= 4) });
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#111}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}td.x{color:#9a3412}
table.kv th{width:170px}figure{margin:10px 0 18px}figcaption{font-size:12px;color:#555}
svg text{font:12px system-ui,sans-serif}svg .t{font-weight:600;font-size:13px}svg .l{text-anchor:end}svg .a{text-anchor:middle;fill:#666}
svg .v{fill:#333}svg .g{stroke:#eee}svg .w{stroke:#111;stroke-width:1.3}svg .d{fill:#fff;stroke:#111;stroke-width:1}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(760px,1fr));gap:4px}ul.notes{font-size:13px;color:#333}
ul.goals{font-size:13px}.met{color:#166534}.unmet{color:#9a3412}
`;

/** The four charts of one load section: req/s per proxy core, raw req/s, p99, RSS. */
function loadCharts(sec) {
  const unit = sec.unit;
  const notDirect = { skip: (t) => t.name === "direct" };
  return [
    barChart({
      title: `${sec.title}: ${unit} per proxy core`,
      unit,
      rows: metricRows(sec, "rpsPerCore", notDirect),
      note: `${unit} / (proxy tree CPU seconds / wall seconds); bar: median, whisker: range over rounds, dots: rounds`,
    }),
    barChart({ title: `${sec.title}: raw ${unit}`, unit, rows: metricRows(sec, "rps") }),
    barChart({ title: `${sec.title}: p99 latency, ms`, unit: "ms", rows: metricRows(sec, "p99Ms") }),
    ...(sec.latency
      ? [barChart({
        title: `${sec.title}: p99 latency at ${sec.latency.connections} x ${sec.latency.inflight} in flight, ms`,
        unit: "ms",
        rows: metricRows(sec, "latencyP99Ms"),
        note: `a ${sec.latency.seconds} s light-load run after the measured one, on the same target`,
      })]
      : []),
    ...(sec.cpuPerRequest ? [cpuPerRequestChart(sec)] : []),
    ...(sec.upstreamConnections
      ? [barChart({
        title: `${sec.title}: upstream connections opened`,
        unit: "connections",
        rows: metricRows(sec, "upstreamConnections"),
        note:
          "connections the upstream accepted during the visit (warm-up, measured and light-load runs); direct: the load's own, one set per run",
      })]
      : []),
    barChart({
      title: `${sec.title}: proxy RSS peak under load, MiB`,
      unit: "MiB",
      rows: metricRows(sec, "proxyRssPeakKiB", { ...notDirect, scale: 1 / 1024 }),
      note: "sum over the process tree: isthmus on deno and bun includes its node launcher (per process in the table)",
    }),
  ];
}

/** The proxy's CPU per request, user and kernel stacked (medians). */
function cpuPerRequestChart(sec) {
  const rows = sec.targets.filter((t) => t.name !== "direct").map((t, i) => {
    const m = t.summary?.ok ? t.summary.median : null;
    const user = m?.proxyUserUsPerRequest;
    const sys = m?.proxySysUsPerRequest;
    const ok = Number.isFinite(user) && Number.isFinite(sys);
    return {
      label: displayName(t),
      color: color(t.name, i),
      value: ok ? user + sys : null,
      range: null,
      points: [],
      parts: ok ? [{ label: "user", value: user }, { label: "sys", value: sys }] : undefined,
    };
  });
  return barChart({
    title: `${sec.title}: proxy CPU per request, µs (user, then sys)`,
    unit: "µs",
    rows,
    note: "dark: user space (the proxy's code and runtime); light: kernel (system calls, loopback packet work)",
  });
}

function goalList(goals) {
  if (!goals?.length) return "";
  const items = goals.map((g) =>
    `<li>${esc(g.text)}: ${esc(g.value)}, <b class="${g.met ? "met" : "unmet"}">${esc(verdict(g))}</b></li>`
  );
  return `<p>Targets:</p><ul class="goals">${items.join("")}</ul>`;
}

/** The report as a self-contained HTML page. */
export function htmlReport(report) {
  const { info, settings: s } = report;
  const notDirect = { skip: (t) => t.name === "direct" };
  const charts = report.loads.map((sec) =>
    `<h3>${esc(sec.title)}</h3><div class="grid">${loadCharts(sec).join("")}</div>`
  );
  const other = [];
  if (report.churn) {
    other.push(
      barChart({
        title: "connection churn: conn/s per proxy core",
        unit: "conn/s",
        rows: metricRows(report.churn, "connPerCore", notDirect),
      }),
      barChart({ title: "connection churn: conn/s", unit: "conn/s", rows: metricRows(report.churn, "connPerSec") }),
    );
  }
  if (report.idle) {
    const rows = report.idle.targets.map((t, i) => {
      const r = report.idle.rows.find((x) => x.target === t.name);
      return {
        label: displayName(t),
        color: color(t.name, i),
        value: r?.ok ? r.kibPerConn : null,
        range: null,
        points: [],
      };
    });
    other.push(barChart({ title: `KiB per idle proxied connection (${s.idleConns} connections)`, unit: "KiB", rows }));
  }
  if (other.length) charts.push(`<h3>L4: churn and idle memory</h3><div class="grid">${other.join("")}</div>`);
  const v = info.versions;
  const machine = kvTable([
    ["date", info.date],
    ["CPU", `${info.cpuModel}`],
    ["cores", `${info.nproc} (nproc), allowed ${info.cpusAllowed}, host reports ${info.hostCpus}`],
    ["memory", info.memory],
    ["kernel", info.kernel],
    ["load average", `${info.loadavgAtStart.join(" ")} at start, ${report.loadavgAtEnd.join(" ")} at end`],
    ["runtimes", `${v.node}, ${v.deno}, ${v.bun}`],
    ["tools", `${v.haproxy}; ${v.nginx}; ${v.wrk}; ${v.httpProxy}; taskset: ${v.taskset}`],
  ]);
  const settings = kvTable([
    ...report.loads.flatMap((sec) => [
      [`${sec.id}: load`, `${sec.load}${sec.loadNote ? ` (${sec.loadNote})` : ""}`],
      [`${sec.id}: placement`, sec.pinning.note],
      [`${sec.id}: upstream`, sec.upstream],
    ]),
    ["duration", `${s.duration} s measured after ${s.warmup} s warm-up, per visit`],
    ["rounds", `${s.repeat} (order rotated per round, fresh proxy per visit)`],
    [
      "churn",
      report.churn
        ? `${s.churnConns} connections, ${s.churnConcurrency} at a time, cap ${s.churnSeconds} s; upstream ${report.churn.upstream}`
        : "skipped (BENCH_CHURN=0 or no L4 scenario)",
    ],
    ["idle connections", report.idle ? String(s.idleConns) : "skipped (BENCH_IDLE_CONNS=0 or no L4 scenario)"],
    ["quick", s.quick ? "yes (BENCH_QUICK=1: short smoke run)" : "no"],
    ["total time", `${Math.round(report.elapsedSeconds)} s`],
  ]);
  const tables = reportTables(report).map(({ title, lines, table }, i) =>
    `<h3>${esc(title)}</h3>${lines.length ? `<p>${lines.map(esc).join("<br>")}</p>` : ""}${htmlTable(table)}${
      goalList(report.loads[i]?.goals)
    }`
  ).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.title)} - ${esc(info.date)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body>
<h1>${esc(report.title)}</h1>
<p>${headerLines(report).map(esc).join("<br>")}</p>
<h2>Charts</h2>${charts.join("")}
<h2>Tables</h2>${tables}
<ul class="notes">${methodNotes().map((l) => `<li>${esc(l)}</li>`).join("")}</ul>
<h2>Machine</h2>${machine}
<h2>Settings</h2>${settings}
<h2>Every round</h2><details><summary>raw figures per round (also in latest.json)</summary>${
    roundsTable(report)
  }</details>
</body></html>
`;
}
