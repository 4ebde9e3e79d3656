export { healthCheckFilterFactory } from "./filter.ts";
export { HEALTHCHECK_NOTHING_TO_DO, type HealthCheckConfig, parseHealthCheckConfig } from "./config.ts";
