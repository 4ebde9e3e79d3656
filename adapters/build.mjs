#!/usr/bin/env node
// The launcher runs isthmus on node and on deno as one JavaScript file each: the runtime's
// `main.ts` and the core it imports, bundled by esbuild into `adapters/<runtime>/dist/main.mjs`.
// - node: npm packages stay imports, resolved from node_modules at run time. Compiling
//   TypeScript in the proxy process through tsx cost about 40 MiB of resident memory.
// - deno: everything is in the bundle, `yaml` as its plain ESM build. Deno running 180 TypeScript
//   modules, and `yaml` through its npm resolution (which starts Deno's Node compatibility
//   layer), held 12 MiB more at rest and under load than the one file does.
// Bun runs the TypeScript directly (its RSS under load is within 1.2x the node:net pipe already).
//
// `npm install` and `npm ci` run this file (package.json `prepare`); the launcher calls
// `staleInput()` at every start and runs this file again when a source changed since the build,
// so an edit to core is never silently ignored.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..");

const runtimeTarget = (runtime) =>
  Object.freeze({
    runtime,
    entry: join(HERE, runtime, "main.ts"),
    outDir: join(HERE, runtime, "dist"),
    root: ROOT,
  });

/**
 * The bundles the launcher runs: each one's runtime ("node" or "deno": how it is bundled),
 * entry, output folder and source root. Tests build elsewhere.
 */
export const TARGETS = Object.freeze([runtimeTarget("node"), runtimeTarget("deno")]);

/** The node bundle: the launcher itself runs it. */
export const DEFAULT_TARGET = TARGETS[0];

const BUNDLE = "main.mjs";
const INPUTS = "inputs.json";

/** Path of the bundled entry a target builds. */
export function bundlePath(target = DEFAULT_TARGET) {
  return join(target.outDir, BUNDLE);
}

function digest(path) {
  return createHash("sha256").update(readFileSync(path)).digest("base64url");
}

/**
 * Why the bundle must be (re)built: the source file whose content differs from the one the
 * bundle was built from, "no bundle", or undefined when the bundle is current. Content hashes,
 * not modification times, so an edit made while a build runs, or a file restored by git with an
 * old time, is still seen. Reads the target's 170-250 source files once: a few milliseconds.
 */
export function staleInput(target = DEFAULT_TARGET) {
  const manifest = join(target.outDir, INPUTS);
  if (!existsSync(manifest) || !existsSync(bundlePath(target))) return "no bundle";
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(manifest, "utf8")).inputs;
  } catch {
    return "unreadable manifest";
  }
  for (const [file, hash] of Object.entries(inputs)) {
    const path = join(target.root, file);
    if (!existsSync(path) || digest(path) !== hash) return file;
  }
  return undefined;
}

/**
 * Bundles the target's entry. Outputs are written to temporary names and renamed, so a process
 * starting while another one builds reads either the old bundle or the new one, never half of one.
 */
export async function build(target = DEFAULT_TARGET) {
  const esbuild = await import("esbuild");
  const forNode = target.runtime === "node";
  const result = await esbuild.build({
    entryPoints: [target.entry],
    bundle: true,
    format: "esm",
    ...(forNode
      ? { platform: "node", target: "node20", packages: "external" }
      // "neutral" and the default condition pick `yaml`'s ESM build, which needs no node: module.
      : { platform: "neutral", mainFields: ["module", "main"], target: "es2022" }),
    outfile: bundlePath(target),
    sourcemap: "linked",
    // Mappings only: stack traces and bench/lib/sourcemap.mjs need file names and lines, and the
    // sources are in the repo; embedding them would put a second copy of every file in dist/.
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    // esbuild names inputs relative to the working directory.
    const rel = relative(target.root, resolve(file));
    inputs[rel] = digest(join(target.root, rel));
  }
  inputs[relative(target.root, fileURLToPath(import.meta.url))] = digest(fileURLToPath(import.meta.url));
  mkdirSync(target.outDir, { recursive: true });
  const tmp = `.tmp-${process.pid}`;
  for (const out of result.outputFiles) {
    writeFileSync(out.path + tmp, out.contents);
    renameSync(out.path + tmp, out.path);
  }
  const manifest = join(target.outDir, INPUTS);
  writeFileSync(manifest + tmp, JSON.stringify({ inputs }, null, 1) + "\n");
  renameSync(manifest + tmp, manifest);
  await esbuild.stop();
}

/** The default targets that must be (re)built, each with the reason staleInput gives. */
export function staleTargets() {
  return TARGETS.flatMap((t) => {
    const why = staleInput(t);
    return why === undefined ? [] : [{ target: t, why }];
  });
}

// `node adapters/build.mjs`: builds every target that is stale (all of them with --all).
if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const targets = process.argv.includes("--all") ? TARGETS : staleTargets().map((s) => s.target);
  for (const t of targets) {
    try {
      await build(t);
    } catch (err) {
      process.stderr.write(`isthmus: building ${relative(process.cwd(), bundlePath(t))} failed: ${err.message}\n`);
      process.exit(1);
    }
  }
}
