export { tcpProxyFilterFactory } from "./filter.ts";
export { parseTcpProxyConfig, tcpProxyConfigParser } from "./config.ts";
