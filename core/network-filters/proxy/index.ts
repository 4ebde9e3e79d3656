export { proxyFilterFactory } from "./filter.ts";
export { parseProxyConfig, proxyConfigParser, type ProxyFilterConfig } from "./config.ts";
export { ProxySession, type ProxyProtocols } from "./session.ts";
