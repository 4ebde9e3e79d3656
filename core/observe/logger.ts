export type LogLevel = "error" | "warn" | "info" | "debug";

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * Leveled logger writing whole lines to an injected sink (the adapter's stderr). Call sites
 * guard expensive messages with `enabled("debug")` so the hot path builds no strings.
 */
export class Logger {
  private rank: number;

  constructor(private readonly sink: (line: string) => void, level: LogLevel = "info", private readonly prefix = "") {
    this.rank = RANK[level];
  }

  setLevel(level: LogLevel): void {
    this.rank = RANK[level];
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] <= this.rank;
  }

  error(msg: string): void {
    this.log("error", msg);
  }

  warn(msg: string): void {
    this.log("warn", msg);
  }

  info(msg: string): void {
    this.log("info", msg);
  }

  debug(msg: string): void {
    this.log("debug", msg);
  }

  private log(level: LogLevel, msg: string): void {
    if (RANK[level] > this.rank) return;
    this.sink(`${new Date().toISOString()} [${level.toUpperCase()}]${this.prefix} ${msg}`);
  }
}

/** A logger that drops everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return new Logger(() => {}, "error");
}
