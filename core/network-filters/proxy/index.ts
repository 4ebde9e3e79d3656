export { proxyFilterFactory } from "./filter.ts";
export { parseProxyConfig, proxyConfigParser, type ProxyFilterConfig } from "./config.ts";
export { type ProxyProtocols, ProxySession } from "./session.ts";
