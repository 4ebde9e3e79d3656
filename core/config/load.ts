import { ConfigError } from "../errors.ts";
import { ConfigContext } from "./context.ts";
import { readObject } from "./fields.ts";
import { didYouMean } from "./keys.ts";
import { readClusters } from "./load-clusters.ts";
import { readServers } from "./load-listeners.ts";
import { parseConfigText } from "./parse-text.ts";
import type { ConfigRegistry } from "./registry-types.ts";
import { TOP_LEVEL } from "./schemas.ts";
import type { IsthmusConfig } from "./types.ts";

/** A validated config and the one-line warnings about MOSN fields it ignores. */
export interface LoadedConfig {
  readonly config: IsthmusConfig;
  readonly warnings: string[];
}

/**
 * Parses and validates a MOSN v2 config file (JSON when `filename` ends in .json or the text
 * opens with `{`, YAML otherwise) into a frozen IsthmusConfig. Filter configs are parsed by the
 * parsers `registry` holds. Throws ConfigError naming the offending field's path (or, for a
 * syntax error, the line and column; the caller names the file); loading never half-succeeds.
 */
export function loadConfig(text: string, filename: string, registry: ConfigRegistry): LoadedConfig {
  const parsed = parseConfigText(text, filename);
  return buildConfig(parsed.value, registry, parsed.warnings);
}

/**
 * As loadConfig, for a config already parsed into plain JSON-like values; `parseWarnings` (from
 * parsing the text) come first in the result's warnings.
 */
export function buildConfig(
  raw: unknown,
  registry: ConfigRegistry,
  parseWarnings: readonly string[] = [],
): LoadedConfig {
  const ctx = new ConfigContext();
  for (const w of parseWarnings) ctx.warn("", w);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError("", "expected the config file to hold an object with servers and cluster_manager");
  }
  const top = readObject(raw, "", ctx, TOP_LEVEL);
  const servers = readServers(top, registry, ctx);
  const clusters = readClusters(top, ctx);
  const names = clusters.map((c) => c.name);
  for (const ref of ctx.clusterRefs) {
    if (!names.includes(ref.cluster)) {
      throw new ConfigError(
        ref.path,
        `no cluster named ${JSON.stringify(ref.cluster)} in cluster_manager.clusters${didYouMean(ref.cluster, names)}`,
      );
    }
  }
  for (const ref of ctx.routerRefs) {
    if (!ctx.routers.has(ref.router)) {
      const hint = didYouMean(ref.router, ctx.routers.keys());
      throw new ConfigError(
        ref.path,
        `no router config named ${
          JSON.stringify(ref.router)
        } in servers[].routers or a connection_manager filter${hint}`,
      );
    }
  }
  const routers = new Map([...ctx.routers].map(([name, { router }]) => [name, router]));
  return {
    config: Object.freeze({ servers: Object.freeze(servers), clusters: Object.freeze(clusters), routers }),
    warnings: ctx.warnings,
  };
}
