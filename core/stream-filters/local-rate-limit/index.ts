export { localRateLimitFilterFactory } from "./filter.ts";
export { type LocalRateLimitConfig, parseLocalRateLimitConfig } from "./config.ts";
