import { ConfigError } from "../errors.ts";
import { HeaderMutation, type HeaderToAdd } from "../router/header-mutation.ts";
import type { Fields } from "./fields.ts";
import { readObject } from "./fields.ts";
import { describeValue } from "./keys.ts";
import { HEADER_VALUE, HEADER_VALUE_OPTION } from "./router-schemas.ts";

// RFC 9110 §5.6.2 token: what a field name may be.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-zA-Z]+$/;
// RFC 9110 §5.5: no CR, LF or NUL in a field value (they would split or end the header).
const BAD_VALUE = /[\r\n\0]/;
// A whole value such as "%downstream_remote_address%" names a MOSN variable.
const MOSN_VARIABLE = /^%[^%]+%$/;

/**
 * Reads one level's `<side>_headers_to_add` and `<side>_headers_to_remove` (route, virtual host
 * or router config) from `f`. Pseudo-headers cannot be added or removed (use prefix_rewrite and
 * host_rewrite). On the request side `host` is `:authority`, which the codecs write as Host: an
 * added `host` replaces it, and it cannot be removed (Envoy refuses both; an HTTP/1.1 request
 * needs a Host).
 *
 * A value that is a MOSN variable (`%name%`) is skipped with a warning: MOSN v0.26 skips every
 * value holding a `%` ("variable headers not support yet"), later MOSN expands the variable, and
 * none are implemented here. Sending the variable's name upstream would be worse than neither.
 */
export function readHeaderMutation(f: Fields, side: "request" | "response"): HeaderMutation {
  const adds: HeaderToAdd[] = [];
  for (const item of f.list(`${side}_headers_to_add`)) {
    const add = readHeaderToAdd(item.value, item.path, f, side);
    if (add !== undefined) adds.push(add);
  }
  const removes: string[] = [];
  for (const item of f.list(`${side}_headers_to_remove`)) {
    if (typeof item.value !== "string") {
      throw new ConfigError(item.path, `expected a header name, got ${describeValue(item.value)}`);
    }
    const name = item.value.toLowerCase();
    checkName(name, item.path, side, "removed");
    if (side === "request" && name === "host") {
      throw new ConfigError(item.path, "host cannot be removed (an HTTP/1.1 request needs one)");
    }
    if (!removes.includes(name)) removes.push(name);
  }
  return new HeaderMutation(adds, removes);
}

function readHeaderToAdd(
  raw: unknown,
  path: string,
  parent: Fields,
  side: "request" | "response",
): HeaderToAdd | undefined {
  const option = readObject(raw, path, parent.ctx, HEADER_VALUE_OPTION);
  if (!option.has("header")) option.fail("header", "required field is missing");
  const header = option.object("header", HEADER_VALUE);
  const spelling = header.requiredString("key");
  const name = spelling.toLowerCase();
  checkName(name, header.pathOf("key"), side, "added");
  const value = header.string("value", "");
  if (BAD_VALUE.test(value)) header.fail("value", "must not hold CR, LF or NUL");
  const append = option.boolean("append", true);
  if (MOSN_VARIABLE.test(value)) {
    parent.ctx.warn(
      header.pathOf("value"),
      `MOSN variables in header values are not supported yet; ${spelling} is not ${
        side === "request" ? "sent" : "added"
      }`,
    );
    return undefined;
  }
  if (side === "request" && name === "host") {
    return Object.freeze({ name: ":authority", spelling: ":authority", value, append: false });
  }
  return Object.freeze({ name, spelling, value, append });
}

function checkName(name: string, path: string, side: "request" | "response", verb: string): void {
  if (name.startsWith(":")) {
    const instead = side === "request" ? " (use prefix_rewrite or host_rewrite)" : "";
    throw new ConfigError(path, `pseudo-header ${name} cannot be ${verb}${instead}`);
  }
  if (!TOKEN.test(name)) throw new ConfigError(path, `${JSON.stringify(name)} is not a valid header name`);
}
