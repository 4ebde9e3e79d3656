import type { ConfigContext } from "../../config/context.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import { readHeaderMutation } from "../../config/load-header-options.ts";
import type { HeaderMutation } from "../../router/header-mutation.ts";
import type { StreamFilterConfigParser } from "../types.ts";

/** `header_mutation`: header adds and removes on every request and response of the listener. */
export interface HeaderMutationConfig {
  readonly request: HeaderMutation;
  readonly response: HeaderMutation;
}

// The same four lists, with the same `{header: {key, value}, append}` entries, as a route's.
const HEADER_MUTATION: ObjectSchema = {
  fields: [
    "request_headers_to_add",
    "request_headers_to_remove",
    "response_headers_to_add",
    "response_headers_to_remove",
  ],
};

export function parseHeaderMutationConfig(raw: unknown, path: string, ctx: ConfigContext): HeaderMutationConfig {
  const f = readObject(raw ?? {}, path, ctx, HEADER_MUTATION);
  return Object.freeze({ request: readHeaderMutation(f, "request"), response: readHeaderMutation(f, "response") });
}

export const headerMutationConfigParser: StreamFilterConfigParser<HeaderMutationConfig> = {
  parseConfig: parseHeaderMutationConfig,
};
