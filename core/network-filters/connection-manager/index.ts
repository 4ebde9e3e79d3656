export { connectionManagerFilterFactory } from "./filter.ts";
export { connectionManagerConfigParser, parseConnectionManagerConfig } from "./config.ts";
