import type { HeaderMap } from "../stream/header-map.ts";
import type { HeaderMutationChain } from "./header-mutation.ts";
import type { DirectMatch, RouteInfo } from "./types.ts";

/** A route's `direct_response`: one frozen result, returned to every request it matches. */
export class DirectResponseAction implements DirectMatch {
  readonly kind = "direct";

  constructor(
    readonly info: RouteInfo,
    readonly status: number,
    readonly body: string,
    private readonly responseHeaders: HeaderMutationChain,
  ) {
    Object.freeze(this);
  }

  rewriteResponse(headers: HeaderMap): void {
    this.responseHeaders.apply(headers);
  }
}
