import type { MirrorPolicy, RandomSource } from "./types.ts";

/** A route's `request_mirror_policies` entry (MOSN pkg/router/types.go mirrorImpl). */
export class RequestMirrorPolicy implements MirrorPolicy {
  constructor(
    readonly cluster: string,
    readonly percent: number,
  ) {
    Object.freeze(this);
  }

  /** MOSN's IsMirror: `percent > rand.Intn(100)`, so 0 never mirrors and 100 always does. */
  sampled(random: RandomSource): boolean {
    return this.percent > Math.floor(random() * 100);
  }
}
