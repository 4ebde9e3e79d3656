import type { Runtime } from "../../core/net/runtime.ts";

/** The real adapter for the runtime running this test file. */
export async function nativeRuntime(): Promise<Runtime> {
  const g = globalThis as Record<string, unknown>;
  if (g.Deno) return new (await import("../../adapters/deno/runtime.ts")).DenoRuntime();
  if (g.Bun) return new (await import("../../adapters/bun/runtime.ts")).BunRuntime();
  return new (await import("../../adapters/node/runtime.ts")).NodeRuntime();
}

export function runtimeName(): "node" | "deno" | "bun" {
  const g = globalThis as Record<string, unknown>;
  return g.Deno ? "deno" : g.Bun ? "bun" : "node";
}
