export { echoFilterFactory } from "./filter.ts";
