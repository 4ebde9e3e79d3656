#!/usr/bin/env node
// The one launcher: `isthmus start -c FILE [--runtime node|deno|bun] [--workers N]`.
// It runs the node bundle (adapters/build.mjs) in this process, with the bundles rebuilt first if
// a source changed since they were built. On node that bundle is the proxy; with `--runtime
// deno|bun` it runs the same core on that runtime as a child (deno its own bundle, bun the
// TypeScript) and relays stop signals to it.
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundlePath, staleTargets } from "../build.mjs";

const stale = staleTargets();
if (stale.length > 0) {
  const { why } = stale[0];
  const names = stale.map((s) => s.target.runtime).join(" and ");
  process.stderr.write(
    `isthmus: building the ${names} bundle${stale.length > 1 ? "s" : ""} (${
      why === "no bundle" ? "none yet" : `${why} changed`
    })\n`,
  );
  const built = spawnSync(process.execPath, [fileURLToPath(new URL("../build.mjs", import.meta.url))], {
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(1);
}
await import(pathToFileURL(bundlePath()).href);
