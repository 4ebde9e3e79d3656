/**
 * How isthmus starts deno, from the launcher and for workers. `--unstable-net` is what
 * `Deno.listen({ reusePort })` needs. The V8 flag caps the young generation at 4 MiB per half:
 * with V8's default it grows to 16 MiB under load. Pinned L4 bench on this project's machine,
 * peak RSS of the deno process: 112 MiB with the default, 88 with this cap; with the bundle,
 * DENO_RUN_ENV and small reads copied out (read-blocks.ts), 59 with this cap and 55 with 2 MiB.
 * 2 MiB costs the pipelined Bolt load a third of its req/s per core (106k against 166k): its
 * per-frame objects get promoted, so 4 MiB.
 */
export const DENO_RUN_ARGS: readonly string[] = ["run", "-A", "--unstable-net", "--v8-flags=--max-semi-space-size=4"];

/**
 * Environment the launcher gives deno (a variable the user set wins; workers inherit it): one
 * glibc malloc arena instead of one per thread for Deno's I/O threads, 5-6 MiB less under load.
 */
export const DENO_RUN_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "1" };
