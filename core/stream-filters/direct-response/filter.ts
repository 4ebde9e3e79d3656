import { HeaderMap } from "../../stream/header-map.ts";
import {
  type StreamFilter,
  type StreamFilterFactory,
  type StreamFilterHandle,
  type StreamFilterMaker,
  StreamFilterStatus,
} from "../types.ts";
import { type DirectResponseConfig, directResponseConfigParser } from "./config.ts";

/**
 * Answers every request itself, before routing: a listener that is its own backend (a health
 * endpoint, a stub upstream for tests and the quickstart). The router's `direct_response`
 * does the same per route.
 */
export const directResponseFilterFactory: StreamFilterFactory<DirectResponseConfig> = {
  type: "direct_response",
  configParser: directResponseConfigParser,
  create(config: DirectResponseConfig): StreamFilterMaker {
    return (handle: StreamFilterHandle): StreamFilter => ({
      phase: "before_route",
      onRequestHeaders() {
        const headers = new HeaderMap();
        for (const [key, value] of config.headers) headers.add(key, value);
        handle.sendLocalReply(config.status, config.body, headers);
        return StreamFilterStatus.Stop;
      },
    });
  },
};
