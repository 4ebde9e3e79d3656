/** Milliseconds as a log line shows them: "500ms", "1.5s", "30s", "90s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}
