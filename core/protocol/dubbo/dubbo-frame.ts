import { XFrame, type XFrameInit } from "../xprotocol/frame.ts";

/**
 * The header names `decode` derives from a request's body rather than from its attachments:
 * MOSN's (pkg/protocol/xprotocol/dubbo/types.go) `dubbo` (framework version), `service`, `method`,
 * `version`. Each is a bit of `DubboRequest.derived` when the request's attachments do not also
 * carry it, so `encode` does not write it back as one.
 */
export const DERIVED_NAMES = ["dubbo", "service", "method", "version"] as const;

/** Where a request body's attachments map lies, for rewriting it: offsets into the frame's bytes. */
export interface AttachmentsLayout {
  /** Bytes kept as they are, from the frame's start: through the map's head ('H', or 'M' type) when there is one. */
  readonly keepEnd: number;
  /** Whether `keepEnd` includes a map head; if not, a rewrite writes 'H' (the map was null or absent). */
  readonly hasHead: boolean;
  /** Where the map (or its null) ends; bytes after it are kept too. */
  readonly end: number;
  /**
   * [start, end) offset pairs of the entries the header view does not hold (a key or a value that
   * is not a string), which a rewrite copies as they are; null when there are none.
   */
  readonly raw: readonly number[] | null;
}

/** A decoded Dubbo invocation: an XFrame that also knows its attachments' layout. */
export class DubboRequest extends XFrame {
  constructor(
    init: XFrameInit,
    readonly attachments: AttachmentsLayout,
    /** Bit i set: DERIVED_NAMES[i] was derived, not an attachment. */
    readonly derived: number,
  ) {
    super(init);
  }

  /** Whether the view's lower-case `name` is a derived name that is not an attachment. */
  isDerived(name: string): boolean {
    const i = (DERIVED_NAMES as readonly string[]).indexOf(name);
    return i >= 0 && (this.derived & (1 << i)) !== 0;
  }
}
