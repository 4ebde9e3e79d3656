export { headerMutationFilterFactory } from "./filter.ts";
export { type HeaderMutationConfig, parseHeaderMutationConfig } from "./config.ts";
