import type { ConfigContext } from "../../config/context.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import type { StreamFilterConfigParser } from "../types.ts";

/** `local_rate_limit`: a token bucket per listener (per process), as Envoy's local_ratelimit. */
export interface LocalRateLimitConfig {
  /** The bucket's size: the burst allowed. */
  readonly maxTokens: number;
  /** Tokens added every `fillIntervalMs`. */
  readonly tokensPerFill: number;
  readonly fillIntervalMs: number;
  /** The answer to a request that finds the bucket empty. */
  readonly status: number;
}

const LOCAL_RATE_LIMIT: ObjectSchema = { fields: ["token_bucket", "status"] };
const TOKEN_BUCKET: ObjectSchema = { fields: ["max_tokens", "tokens_per_fill", "fill_interval"] };
const UINT32_MAX = 0xffff_ffff;

export function parseLocalRateLimitConfig(raw: unknown, path: string, ctx: ConfigContext): LocalRateLimitConfig {
  const f = readObject(raw ?? {}, path, ctx, LOCAL_RATE_LIMIT);
  if (!f.has("token_bucket")) f.fail("token_bucket", "required field is missing");
  const bucket = f.object("token_bucket", TOKEN_BUCKET);
  if (!bucket.has("max_tokens")) bucket.fail("max_tokens", "required field is missing");
  if (!bucket.has("fill_interval")) bucket.fail("fill_interval", "required field is missing");
  const maxTokens = bucket.integer("max_tokens", 1, 1, UINT32_MAX);
  const fillIntervalMs = bucket.duration("fill_interval", 1000);
  // Envoy's floor: a bucket refilled more often than every 50 ms costs more than it limits.
  if (fillIntervalMs < 50) bucket.fail("fill_interval", "must be at least 50ms");
  return Object.freeze({
    maxTokens,
    tokensPerFill: bucket.integer("tokens_per_fill", 1, 1, UINT32_MAX),
    fillIntervalMs,
    status: f.integer("status", 429, 400, 599),
  });
}

export const localRateLimitConfigParser: StreamFilterConfigParser<LocalRateLimitConfig> = {
  parseConfig: parseLocalRateLimitConfig,
};
