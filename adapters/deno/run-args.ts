/**
 * How isthmus starts deno, from the launcher and for workers. `--unstable-net` is what
 * `Deno.listen({ reusePort })` needs. The V8 flag caps the young generation at 2 MiB per half:
 * with V8's default it grows to 16 MiB under load. Pinned L4 bench on this project's machine,
 * peak RSS of the deno process: 112 MiB with the default, 88 with a 4 MiB cap, 70-77 with the
 * bundle, this cap and DENO_RUN_ENV, at the same req/s per core and p99 within run-to-run noise
 * (57 since small reads are copied out: read-blocks.ts).
 */
export const DENO_RUN_ARGS: readonly string[] = ["run", "-A", "--unstable-net", "--v8-flags=--max-semi-space-size=2"];

/**
 * Environment the launcher gives deno (a variable the user set wins; workers inherit it): one
 * glibc malloc arena instead of one per thread for Deno's I/O threads, 5-6 MiB less under load.
 */
export const DENO_RUN_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "1" };
