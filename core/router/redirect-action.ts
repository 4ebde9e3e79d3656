import type { HeaderMap } from "../stream/header-map.ts";
import { splitHostPort } from "./domain.ts";
import type { HeaderMutationChain } from "./header-mutation.ts";
import type { RedirectMatch, RouteInfo } from "./types.ts";

/** A route's `redirect`, validated. Undefined parts keep the request's own. */
export interface RedirectSpec {
  readonly info: RouteInfo;
  /** 301 (the default), 302, 303, 307 or 308. */
  readonly status: number;
  /** Lower case. */
  readonly scheme: string | undefined;
  readonly host: string | undefined;
  readonly path: string | undefined;
  readonly responseHeaders: HeaderMutationChain;
}

/**
 * Answers with a redirect whose location is the request's URL with the configured parts swapped
 * in, built as MOSN's downstream.go chooseHost does: the query string is always kept, and when
 * the scheme changes, a port that was the other scheme's default is dropped
 * (`https://a:443` → `http://a`).
 */
export class RedirectAction {
  constructor(private readonly spec: RedirectSpec) {
    Object.freeze(this);
  }

  /** `path` is the whole `:path` (undefined without one); its query starts at `pathEnd`. */
  result(headers: HeaderMap, path: string | undefined, pathEnd: number): RedirectMatch {
    const spec = this.spec;
    const currentScheme = headers.get(":scheme") || "http";
    const scheme = spec.scheme ?? currentScheme;
    let host = spec.host ?? headers.get(":authority") ?? "";
    if (scheme !== currentScheme) {
      const colon = splitHostPort(host);
      const port = host.slice(colon + 1);
      if ((scheme === "http" && port === "443") || (scheme === "https" && port === "80")) host = host.slice(0, colon);
    }
    const target = spec.path ?? (path === undefined ? "" : path.slice(0, pathEnd));
    // Go's url.URL drops a `?` with nothing after it.
    const query = path === undefined || pathEnd >= path.length - 1 ? "" : path.slice(pathEnd);
    return new RedirectResult(spec, `${scheme}://${host}${target}${query}`);
  }
}

class RedirectResult implements RedirectMatch {
  readonly kind = "redirect";
  readonly info: RouteInfo;
  readonly status: number;

  constructor(
    private readonly spec: RedirectSpec,
    readonly location: string,
  ) {
    this.info = spec.info;
    this.status = spec.status;
    Object.freeze(this);
  }

  rewriteResponse(headers: HeaderMap): void {
    this.spec.responseHeaders.apply(headers);
  }
}
