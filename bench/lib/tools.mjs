// The outside programs the bench can use, where they are and their versions. A missing one is
// never skipped silently: its `missing` text names the package that provides it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Debian packages (apt-get install -y ...) that provide the system tools. */
const DEBIAN_PACKAGE = { wrk: "wrk", nginx: "nginx", haproxy: "haproxy", taskset: "util-linux", strace: "strace" };

function which(cmd) {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const dir of dirs) if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  return null;
}

/** First non-empty line a command prints on stdout or stderr, whatever its exit status. */
function firstLine(cmd, args) {
  // wrk --version exits 1 and nginx -v writes to stderr: read both streams.
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 10_000 });
  const text = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
  return text.split("\n").find((l) => l.trim())?.trim() ?? "unavailable";
}

function systemTool(name, versionArgs, tidy) {
  const path = which(name);
  if (!path) {
    return { name, path: null, version: null, missing: `not installed (Debian package ${DEBIAN_PACKAGE[name]})` };
  }
  return { name, path, version: versionArgs ? tidy(firstLine(path, versionArgs)) : null, missing: null };
}

function npmRuntime(root, name, tidy) {
  const path = join(root, "node_modules/.bin", name);
  if (!existsSync(path)) {
    return { name, path: null, version: null, missing: `not installed (npm devDependency ${name}: run npm ci)` };
  }
  return { name, path, version: tidy(firstLine(path, ["--version"])), missing: null };
}

/** An npm package the bench imports (from a script of its own), with its version. */
function npmPackage(root, name) {
  const manifest = join(root, "node_modules", name, "package.json");
  if (!existsSync(manifest)) {
    return { name, path: null, version: null, missing: `not installed (npm devDependency ${name}: run npm ci)` };
  }
  const { version } = JSON.parse(readFileSync(manifest, "utf8"));
  return { name, path: dirname(manifest), version: `${name} ${version}`, missing: null };
}

/** Finds every tool once; each entry is { name, path, version, missing } (missing: null or why). */
export function findTools(root) {
  return {
    wrk: systemTool("wrk", ["--version"], (l) => l.replace(/^(wrk \S+).*/, "$1")),
    nginx: systemTool("nginx", ["-v"], (l) => l.replace(/^nginx version: nginx\//, "nginx ")),
    haproxy: systemTool("haproxy", ["-v"], (l) => l.replace(/^HAProxy version (\S+).*/, "haproxy $1")),
    taskset: systemTool("taskset", null),
    strace: systemTool("strace", null),
    node: { name: "node", path: process.execPath, version: `node ${process.version}`, missing: null },
    deno: npmRuntime(root, "deno", (l) => l.replace(/ \(.*$/, "")),
    bun: npmRuntime(root, "bun", (l) => `bun ${l}`),
    httpProxy: npmPackage(root, "http-proxy"),
  };
}
