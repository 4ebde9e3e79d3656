import type { EchoConfig } from "../../config/types.ts";
import type { ConfigContext } from "../../config/context.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import type { NetworkFilterConfigParser } from "../../config/registry-types.ts";

const ECHO: ObjectSchema = { fields: ["stat_prefix"] };

/**
 * Validates an `echo` filter's config into a frozen EchoConfig. The config may be absent;
 * `stat_prefix` defaults to "". Throws ConfigError.
 */
export function parseEchoConfig(raw: unknown, path: string, ctx: ConfigContext): EchoConfig {
  const f = readObject(raw ?? {}, path, ctx, ECHO);
  return Object.freeze({ statPrefix: f.string("stat_prefix", "") });
}

/** The `echo` entry for a ConfigRegistry. */
export const echoConfigParser: NetworkFilterConfigParser<EchoConfig> = {
  parseConfig: parseEchoConfig,
};
