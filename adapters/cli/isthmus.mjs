#!/usr/bin/env node
// The one launcher: `isthmus start -c FILE [--runtime node|deno|bun] [--workers N]`.
// Node runs in this process through tsx; deno and bun run the same core from their own main,
// with the binaries the npm devDependencies installed, so no global tool is needed.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const args = process.argv.slice(2);

function runtimeOf(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runtime") return argv[i + 1];
    if (argv[i].startsWith("--runtime=")) return argv[i].slice("--runtime=".length);
  }
  return "node";
}

const runtime = runtimeOf(args);
if (runtime === "deno" || runtime === "bun") {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve(`${runtime}/package.json`));
  const cmd = runtime === "deno"
    ? [join(pkgDir, "deno"), ["run", "-A", "--unstable-net", join(root, "adapters/deno/main.ts"), ...args]]
    : [join(pkgDir, "bin", "bun.exe"), [join(root, "adapters/bun/main.ts"), ...args]];
  const child = spawn(cmd[0], cmd[1], { stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on("error", (err) => {
    process.stderr.write(`isthmus: cannot start ${runtime}: ${err.message}\n`);
    process.exit(1);
  });
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(join(root, "adapters/node/main.ts"));
}
