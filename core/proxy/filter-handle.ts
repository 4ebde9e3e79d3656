import type { Address } from "../net/address.ts";
import type { ForwardRoute } from "../router/types.ts";
import type { HeaderMap } from "../stream/header-map.ts";
import type { Protocol } from "../stream/protocol.ts";
import type { StreamFilterHandle } from "../stream-filters/types.ts";
import type { Host } from "../upstream/types.ts";

/** What the request lends its filters: live views of its state and the two things they may do. */
export interface FilterHandleSource {
  headers(): HeaderMap;
  route(): ForwardRoute | undefined;
  host(): Host | undefined;
  done(): boolean;
  upstreamProtocol(): Protocol;
  continueRequest(): void;
  sendLocalReply(status: number, body: string, headers?: HeaderMap): void;
}

/** A request's StreamFilterHandle: one per request, shared by its filters. */
export class FilterHandle implements StreamFilterHandle {
  constructor(
    private readonly source: FilterHandleSource,
    readonly downstreamAddress: Address,
    readonly tag: string,
  ) {}

  get requestHeaders(): HeaderMap {
    return this.source.headers();
  }

  get route(): ForwardRoute | undefined {
    return this.source.route();
  }

  get host(): Host | undefined {
    return this.source.host();
  }

  get done(): boolean {
    return this.source.done();
  }

  get upstreamProtocol(): Protocol {
    return this.source.upstreamProtocol();
  }

  continueRequest(): void {
    this.source.continueRequest();
  }

  sendLocalReply(status: number, body: string, headers?: HeaderMap): void {
    this.source.sendLocalReply(status, body, headers);
  }
}
