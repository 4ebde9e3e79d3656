/**
 * How isthmus starts deno, from the launcher and for workers. `--unstable-net` is what
 * `Deno.listen({ reusePort })` needs. The V8 flag caps the young generation at 4 MiB per half:
 * with V8's default it grows to 16 MiB under load. Pinned bench on this project's machine
 * (3 rounds, medians): default 112 MiB RSS and 3.7 ms p99; 4 MiB 88 MiB and 4.8 ms at the same
 * req/s per core; 2 MiB with 20% heap growth 73 MiB but 9.5 ms, too much latency for the memory.
 */
export const DENO_RUN_ARGS: readonly string[] = ["run", "-A", "--unstable-net", "--v8-flags=--max-semi-space-size=4"];
