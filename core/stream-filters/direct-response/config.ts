import type { ConfigContext } from "../../config/context.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import type { StreamFilterConfigParser } from "../types.ts";

/** `direct_response`: answer every request of the listener with this response. */
export interface DirectResponseConfig {
  readonly status: number;
  readonly body: string;
  readonly headers: readonly (readonly [string, string])[];
}

const DIRECT_RESPONSE: ObjectSchema = { fields: ["status", "body", "headers"] };
const HEADER: ObjectSchema = { fields: ["key", "value"] };

export function parseDirectResponseConfig(raw: unknown, path: string, ctx: ConfigContext): DirectResponseConfig {
  const f = readObject(raw ?? {}, path, ctx, DIRECT_RESPONSE);
  if (!f.has("status")) f.fail("status", "required field is missing");
  const headers = f.list("headers").map((item) => {
    const h = readObject(item.value, item.path, ctx, HEADER);
    const key = h.requiredString("key");
    if (!/^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/.test(key)) h.fail("key", `${JSON.stringify(key)} is not a valid header name`);
    const value = h.string("value", "");
    if (/[\r\n\0]/.test(value)) h.fail("value", "must not hold CR, LF or NUL");
    return Object.freeze([key, value] as const);
  });
  return Object.freeze({
    status: f.integer("status", 200, 200, 599),
    body: f.string("body", ""),
    headers: Object.freeze(headers),
  });
}

export const directResponseConfigParser: StreamFilterConfigParser<DirectResponseConfig> = {
  parseConfig: parseDirectResponseConfig,
};
