export { directResponseFilterFactory } from "./filter.ts";
export { type DirectResponseConfig, parseDirectResponseConfig } from "./config.ts";
