// The one place tests get their framework from. node:test and node:assert/strict are provided
// by node, deno and bun alike; importing them through here keeps core/ free of runtime imports.
export { after, afterEach, before, beforeEach, describe, it, test } from "node:test";
export { default as assert } from "node:assert/strict";

import { readFileSync } from "node:fs";

/** Reads a fixture file next to a test: `readFixture(new URL("./testdata/x.json", import.meta.url))`. */
export function readFixture(url: URL): string {
  return readFileSync(url, "utf8");
}
