// Figures over rounds: every metric's median is taken on its own, across the rounds that
// succeeded, so the median req/s and the median p99 may come from different rounds.

/** Median of the finite values (mean of the two middle ones for an even count); null if none. */
export function median(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function extent(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x));
  return v.length === 0 ? null : [Math.min(...v), Math.max(...v)];
}

/**
 * Summarises one target's rows: { rounds, ok, failed, median: {metric: value}, range: {metric:
 * [min, max]}, errorCount, lastError }. `metrics` names the row fields to summarise.
 */
export function summarize(rows, metrics) {
  const ok = rows.filter((r) => r.ok);
  const med = {};
  const range = {};
  for (const m of metrics) {
    med[m] = median(ok.map((r) => r[m]));
    range[m] = extent(ok.map((r) => r[m]));
  }
  const failedRows = rows.filter((r) => !r.ok);
  return {
    rounds: rows.length,
    ok: ok.length,
    failed: failedRows.length,
    median: med,
    range,
    errorCount: ok.reduce((a, r) => a + (r.errorCount ?? 0), 0),
    lastError: failedRows.at(-1)?.error ?? null,
  };
}
