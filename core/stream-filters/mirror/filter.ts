import { HeaderMap } from "../../stream/header-map.ts";
import type { Host } from "../../upstream/types.ts";
import {
  type StreamFilter,
  type StreamFilterFactory,
  type StreamFilterFactoryContext,
  type StreamFilterHandle,
  type StreamFilterMaker,
  StreamFilterStatus,
} from "../types.ts";
import { type MirrorConfig, mirrorConfigParser } from "./config.ts";
import { MirrorRequest } from "./mirror-request.ts";

/** Body a copy may queue while its connection is not ready, before it is given up. */
const MIRROR_QUEUE_LIMIT_BYTES = 64 * 1024;

function copyHeaders(headers: HeaderMap): HeaderMap {
  const copy = new HeaderMap();
  headers.forEach((_name, value, spelling) => copy.add(spelling, value));
  return copy;
}

/**
 * Shadows requests to the cluster their route's `request_mirror_policies` names, for the share
 * of requests its `percent` draws (MOSN's `mirror` stream filter: without it, as in MOSN, the
 * policies do nothing). Each copy is fire and forget (see MirrorRequest): its response is
 * dropped, its failures are only counted, and the real request never waits for it.
 * Counters: `http.<listener>.mirror.requests`, `mirror.failed`.
 */
export const mirrorFilterFactory: StreamFilterFactory<MirrorConfig> = {
  type: "mirror",
  configParser: mirrorConfigParser,
  create(config: MirrorConfig, ctx: StreamFilterFactoryContext): StreamFilterMaker {
    const p = `http.${ctx.listenerName}.mirror.`;
    const counters = { requests: ctx.stats.counter(p + "requests"), failed: ctx.stats.counter(p + "failed") };
    return (handle: StreamFilterHandle): StreamFilter => {
      let copies: MirrorRequest[] = [];
      return {
        phase: "after_route",
        onRequestHeaders(headers: HeaderMap, end: boolean) {
          const policies = handle.route?.mirrorPolicies ?? [];
          for (const policy of policies) {
            if (!policy.sampled(ctx.random)) continue;
            const cluster = ctx.clusterManager.get(policy.cluster);
            if (!cluster) continue;
            const hosts: Host[] = [];
            if (config.broadcast) {
              for (const h of cluster.hosts) if (h.healthy) hosts.push(h);
            } else {
              for (let i = 0; i < config.amplification; i++) {
                const next = cluster.lb.choose({ downstreamAddress: handle.downstreamAddress }).next();
                if (!next.done) hosts.push(next.value);
              }
            }
            for (const host of hosts) {
              const copy = new MirrorRequest(copyHeaders(headers), end, MIRROR_QUEUE_LIMIT_BYTES, counters);
              copies.push(copy);
              copy.start(ctx.pools.get(cluster, host, handle.upstreamProtocol));
            }
          }
          return StreamFilterStatus.Continue;
        },
        onRequestData(chunk: Uint8Array, end: boolean) {
          for (const c of copies) c.data(chunk, end);
        },
        onRequestTrailers(trailers: HeaderMap) {
          for (const c of copies) c.trailersIn(trailers);
        },
        onDestroy() {
          for (const c of copies) c.abort();
          copies = [];
        },
      };
    };
  },
};
