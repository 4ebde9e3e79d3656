import {
  type StreamFilter,
  type StreamFilterFactory,
  type StreamFilterFactoryContext,
  type StreamFilterHandle,
  type StreamFilterMaker,
  StreamFilterStatus,
} from "../types.ts";
import { type LocalRateLimitConfig, localRateLimitConfigParser } from "./config.ts";

/**
 * Limits the listener's request rate with one token bucket (Envoy's local_ratelimit): each
 * request takes a token, and one that finds none is answered with 429 (or `status`) before it
 * is routed. The bucket is refilled lazily from the clock when a request comes, so an idle
 * listener costs no timer. It is per process: with `--workers N` each worker has its own.
 * Counters: `http.<listener>.local_rate_limit.ok`, `rate_limited`.
 */
export const localRateLimitFilterFactory: StreamFilterFactory<LocalRateLimitConfig> = {
  type: "local_rate_limit",
  configParser: localRateLimitConfigParser,
  create(config: LocalRateLimitConfig, ctx: StreamFilterFactoryContext): StreamFilterMaker {
    const p = `http.${ctx.listenerName}.local_rate_limit.`;
    const ok = ctx.stats.counter(p + "ok");
    const limited = ctx.stats.counter(p + "rate_limited");
    let tokens = config.maxTokens;
    let lastFill = ctx.runtime.now();
    const take = (): boolean => {
      const now = ctx.runtime.now();
      const fills = Math.floor((now - lastFill) / config.fillIntervalMs);
      if (fills > 0) {
        tokens = Math.min(config.maxTokens, tokens + fills * config.tokensPerFill);
        lastFill += fills * config.fillIntervalMs;
      }
      if (tokens === 0) return false;
      tokens--;
      return true;
    };
    return (handle: StreamFilterHandle): StreamFilter => ({
      phase: "before_route",
      onRequestHeaders() {
        if (take()) {
          ok.value++;
          return StreamFilterStatus.Continue;
        }
        limited.value++;
        handle.sendLocalReply(config.status, "local rate limit exceeded\n");
        return StreamFilterStatus.Stop;
      },
    });
  },
};
