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

/** `n` distinct loopback ports that were free a moment ago (all held at once while picked). */
export async function freePorts(n: number): Promise<number[]> {
  const rt = await nativeRuntime();
  const handles = await Promise.all(
    Array.from({ length: n }, () => rt.listen({ host: "127.0.0.1", port: 0 }, (s) => s.destroy())),
  );
  await Promise.all(handles.map((h) => h.close()));
  return handles.map((h) => h.address.port);
}
