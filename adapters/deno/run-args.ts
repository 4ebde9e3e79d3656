/**
 * How isthmus starts deno, from the launcher and for workers. `--unstable-net` is what
 * `Deno.listen({ reusePort })` needs. The V8 flags cap the young generation: with V8's default
 * it grows to 16 MiB per half under load and the proxy's RSS doubles; at 2 MiB (and a heap that
 * grows by 20%) the pinned bench measured the same req/s per core and 72 MiB RSS instead of 106.
 */
export const DENO_RUN_ARGS: readonly string[] = ["run", "-A", "--unstable-net", "--v8-flags=--max-semi-space-size=2,--heap-growing-percent=20"];
