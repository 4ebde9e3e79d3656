import type { TimerHandle } from "../../net/runtime.ts";
import type { HeaderMap } from "../../stream/header-map.ts";
import {
  type StreamFilter,
  type StreamFilterFactory,
  type StreamFilterFactoryContext,
  type StreamFilterHandle,
  type StreamFilterMaker,
  StreamFilterStatus,
} from "../types.ts";
import { type FaultConfig, faultConfigParser } from "./config.ts";

/**
 * Delays or aborts a share of the requests (MOSN's `fault` stream filter, Envoy's fault
 * filter), after the route is known so `upstream_cluster` can pick which. A delay holds the
 * request on a timer, then the abort (if drawn) answers it; a request that ends meanwhile
 * drops its timer. Counters: `http.<listener>.fault.delays_injected`, `aborts_injected`.
 */
export const faultFilterFactory: StreamFilterFactory<FaultConfig> = {
  type: "fault",
  configParser: faultConfigParser,
  create(config: FaultConfig, ctx: StreamFilterFactoryContext): StreamFilterMaker {
    const p = `http.${ctx.listenerName}.fault.`;
    const delays = ctx.stats.counter(p + "delays_injected");
    const aborts = ctx.stats.counter(p + "aborts_injected");
    const drawn = (percent: number) => percent >= 100 || (percent > 0 && ctx.random() * 100 < percent);
    return (handle: StreamFilterHandle): StreamFilter => {
      let timer: TimerHandle | undefined;
      const abortIfDrawn = (): boolean => {
        if (!drawn(config.abortPercent)) return false;
        aborts.value++;
        handle.sendLocalReply(config.abortStatus, "fault filter abort\n");
        return true;
      };
      return {
        phase: "after_route",
        onRequestHeaders(headers: HeaderMap): StreamFilterStatus {
          if (config.upstreamCluster !== "" && handle.route?.cluster !== config.upstreamCluster) {
            return StreamFilterStatus.Continue;
          }
          const path = headers.get(":path");
          for (const m of config.headers) {
            if (!m.matches(headers, path, path?.length ?? 0)) return StreamFilterStatus.Continue;
          }
          if (drawn(config.delayPercent)) {
            delays.value++;
            timer = ctx.runtime.setTimer(config.delayMs, () => {
              timer = undefined;
              if (handle.done || abortIfDrawn()) return;
              handle.continueRequest();
            });
            return StreamFilterStatus.Stop;
          }
          return abortIfDrawn() ? StreamFilterStatus.Stop : StreamFilterStatus.Continue;
        },
        onDestroy() {
          if (timer !== undefined) ctx.runtime.clearTimer(timer);
          timer = undefined;
        },
      };
    };
  },
};
