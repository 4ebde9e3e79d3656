/** The largest value of MOSN's uint32 fields (counts, weights, attempts). */
export const UINT32_MAX = 0xffff_ffff;

/**
 * The largest buffer limit a listener or cluster may set: 64 MiB per connection. MOSN's fields
 * are uint32, but a limit is how much one connection may queue before backpressure, and a
 * larger one is most likely a unit slip (bytes for KiB) that would let each connection hold
 * gigabytes.
 */
export const MAX_BUFFER_LIMIT_BYTES = 64 * 1024 * 1024;
