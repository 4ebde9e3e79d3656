export { faultFilterFactory } from "./filter.ts";
export { type FaultConfig, parseFaultConfig } from "./config.ts";
