import type { ConfigContext } from "../../config/context.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import type { StreamFilterConfigParser } from "../types.ts";

/** MOSN's `mirror` stream filter config (pkg/filter/stream/mirror). */
export interface MirrorConfig {
  /** Copies sent per mirrored request (MOSN's `amplification`, default 1). */
  readonly amplification: number;
  /** One copy to every healthy host of the mirror cluster instead (MOSN's `broadcast`). */
  readonly broadcast: boolean;
}

const MIRROR: ObjectSchema = { fields: ["amplification", "broadcast"] };

export function parseMirrorConfig(raw: unknown, path: string, ctx: ConfigContext): MirrorConfig {
  const f = readObject(raw ?? {}, path, ctx, MIRROR);
  return Object.freeze({
    amplification: f.integer("amplification", 1, 1, 100),
    broadcast: f.boolean("broadcast", false),
  });
}

export const mirrorConfigParser: StreamFilterConfigParser<MirrorConfig> = { parseConfig: parseMirrorConfig };
