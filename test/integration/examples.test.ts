// Every config in examples/ loads without errors or warnings, as `isthmus validate` reads it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../core/config/load.ts";
import { createDefaultRegistry } from "../../core/registry.ts";

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");

describe("examples/ configs", () => {
  const files = readdirSync(EXAMPLES).filter((f) => /\.(ya?ml|json)$/.test(f));
  it("there are some", () => assert.ok(files.length >= 2, files.join(", ")));
  for (const file of files) {
    it(`${file} loads with no warning`, () => {
      const { warnings } = loadConfig(readFileSync(join(EXAMPLES, file), "utf8"), file, createDefaultRegistry());
      assert.deepEqual(warnings, []);
    });
  }
});
