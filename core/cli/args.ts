import type { LogLevel } from "../observe/logger.ts";

export type RuntimeName = "node" | "deno" | "bun";

export interface CliOptions {
  readonly command: "start" | "validate" | "help" | "version";
  readonly configPath: string | undefined;
  readonly runtime: RuntimeName;
  readonly workers: number;
  /** `--log-level`; undefined when not given (the config's `default_log_level`, else info). */
  readonly logLevel: LogLevel | undefined;
}

export const USAGE = `usage: isthmus <command> [options]

commands:
  start     -c FILE   run the proxy on a MOSN-shaped config (JSON or YAML)
  validate  -c FILE   check a config and print its warnings, open no port
  help | version

options:
  -c, --config FILE            config file
  --runtime node|deno|bun      JavaScript runtime to run on (default node)
  --workers N                  processes sharing the listeners (default 1)
  --log-level error|warn|info|debug   (default info)`;

const LEVELS = ["error", "warn", "info", "debug"];
const RUNTIMES = ["node", "deno", "bun"];

/** Parses the command line; returns an error message instead of throwing. */
export function parseArgs(argv: readonly string[]): CliOptions | string {
  let command: CliOptions["command"] | undefined;
  let configPath: string | undefined;
  let runtime: RuntimeName = "node";
  let workers = 1;
  let logLevel: LogLevel | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case "-c":
      case "--config": {
        configPath = value();
        if (!configPath) return `${flag} needs a file`;
        break;
      }
      case "--runtime": {
        const v = value();
        if (!v || !RUNTIMES.includes(v)) {
          return `--runtime must be one of ${RUNTIMES.join(", ")}, got ${v ?? "nothing"}`;
        }
        runtime = v as RuntimeName;
        break;
      }
      case "--workers": {
        const v = value();
        if (!v || !/^[1-9]\d{0,3}$/.test(v)) return `--workers must be a positive integer, got ${v ?? "nothing"}`;
        workers = Number(v);
        break;
      }
      case "--log-level": {
        const v = value();
        if (!v || !LEVELS.includes(v)) return `--log-level must be one of ${LEVELS.join(", ")}, got ${v ?? "nothing"}`;
        logLevel = v as LogLevel;
        break;
      }
      case "-h":
      case "--help":
        command = "help";
        break;
      case "-v":
      case "--version":
        command = "version";
        break;
      default:
        if (a.startsWith("-")) return `unknown option ${a}`;
        if (command) return `unexpected argument ${a}`;
        if (a !== "start" && a !== "validate" && a !== "help" && a !== "version") return `unknown command ${a}`;
        command = a;
    }
  }
  if (!command) return "missing command";
  if ((command === "start" || command === "validate") && !configPath) return `${command} needs -c FILE`;
  return { command, configPath, runtime, workers, logLevel };
}
