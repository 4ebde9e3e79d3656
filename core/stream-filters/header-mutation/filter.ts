import type { HeaderMap } from "../../stream/header-map.ts";
import { type StreamFilter, type StreamFilterFactory, type StreamFilterMaker, StreamFilterStatus } from "../types.ts";
import { type HeaderMutationConfig, headerMutationConfigParser } from "./config.ts";

/**
 * Adds and removes headers on every request (before the route is matched, so routes can match
 * what it adds) and on every response, the proxy's own answers included (Envoy's
 * header_mutation filter; the lists read as a route's `*_headers_to_add/remove`).
 */
export const headerMutationFilterFactory: StreamFilterFactory<HeaderMutationConfig> = {
  type: "header_mutation",
  configParser: headerMutationConfigParser,
  create(config: HeaderMutationConfig): StreamFilterMaker {
    // Stateless: one instance serves every request.
    const filter: StreamFilter = {
      phase: "before_route",
      onRequestHeaders(headers: HeaderMap) {
        config.request.apply(headers);
        return StreamFilterStatus.Continue;
      },
      onResponseHeaders(headers: HeaderMap) {
        config.response.apply(headers);
      },
    };
    return () => filter;
  },
};
