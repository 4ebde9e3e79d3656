#!/usr/bin/env node
// The one launcher: `isthmus start -c FILE [--runtime node|deno|bun] [--workers N]`.
// It runs the node bundle (adapters/node/build.mjs) in this process, rebuilt first if a source
// changed since it was built. On node that bundle is the proxy; with `--runtime deno|bun` it
// runs the same core's TypeScript on that runtime as a child and relays stop signals to it.
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundlePath, staleInput } from "../node/build.mjs";

const stale = staleInput();
if (stale !== undefined) {
  process.stderr.write(
    `isthmus: building the node bundle (${stale === "no bundle" ? "none yet" : `${stale} changed`})\n`,
  );
  const built = spawnSync(process.execPath, [fileURLToPath(new URL("../node/build.mjs", import.meta.url))], {
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(1);
}
await import(pathToFileURL(bundlePath()).href);
