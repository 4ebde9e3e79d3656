import type { ConfigContext } from "../../config/context.ts";
import { type ObjectSchema, readObject } from "../../config/fields.ts";
import { readHeaderMatchers } from "../../config/load-route-match.ts";
import type { HeaderMatcher } from "../../router/header-matcher.ts";
import type { StreamFilterConfigParser } from "../types.ts";

/** MOSN's `fault` stream filter config (pkg/config/v2/filter.go StreamFaultInject). */
export interface FaultConfig {
  /** Delay this share (0-100) of matching requests by `delayMs`. */
  readonly delayPercent: number;
  readonly delayMs: number;
  /** Answer this share (0-100) of matching requests with `abortStatus` instead of forwarding them. */
  readonly abortPercent: number;
  readonly abortStatus: number;
  /** Only requests routed to this cluster ("" for any). */
  readonly upstreamCluster: string;
  /** Only requests whose headers all match. */
  readonly headers: readonly HeaderMatcher[];
}

const FAULT: ObjectSchema = { fields: ["delay", "abort", "upstream_cluster", "headers"] };
const DELAY: ObjectSchema = { fields: ["fixed_delay", "percentage"] };
const ABORT: ObjectSchema = { fields: ["status", "percentage"] };

export function parseFaultConfig(raw: unknown, path: string, ctx: ConfigContext): FaultConfig {
  const f = readObject(raw ?? {}, path, ctx, FAULT);
  const delay = f.object("delay", DELAY);
  const abort = f.object("abort", ABORT);
  const delayMs = delay.duration("fixed_delay", 0);
  const delayPercent = delay.integer("percentage", 0, 0, 100);
  const abortPercent = abort.integer("percentage", 0, 0, 100);
  const abortStatus = abort.integer("status", 0, 0, 599);
  if (abortPercent > 0 && abortStatus < 200) abort.fail("status", "an abort needs a status of 200-599");
  if (delayPercent > 0 && delayMs === 0) delay.fail("fixed_delay", "a delay needs a duration above 0");
  if (delayPercent === 0 && abortPercent === 0) ctx.warn(path, "fault injects nothing: both percentages are 0");
  const upstreamCluster = f.string("upstream_cluster", "");
  if (upstreamCluster !== "") ctx.referenceCluster(f.pathOf("upstream_cluster"), upstreamCluster);
  return Object.freeze({
    delayPercent,
    delayMs,
    abortPercent,
    abortStatus,
    upstreamCluster,
    headers: Object.freeze(readHeaderMatchers(f, "headers")),
  });
}

export const faultConfigParser: StreamFilterConfigParser<FaultConfig> = { parseConfig: parseFaultConfig };
