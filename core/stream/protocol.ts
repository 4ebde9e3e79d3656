import type { ByteBuffer } from "../net/byte-buffer.ts";
import type { Connection } from "../net/connection.ts";
import type { ClientCodec, ServerCodec, ServerCodecCallbacks } from "./types.ts";

/** What `detect` says about the first bytes of a connection. */
export type Detection = "yes" | "no" | "more";

/**
 * One L7 protocol as the proxy sees it: how to recognise it from a connection's first bytes
 * (for `Auto` listeners) and how to build its codecs. Registered on the Registry; the proxy and
 * the pools never name a protocol.
 */
export interface Protocol {
  /** As MOSN writes it in `downstream_protocol` / `upstream_protocol`: "Http1", "Http2", "bolt", ... */
  readonly name: string;
  /** Whether `buf` starts like this protocol; "more" when too few bytes are in to tell. */
  detect(buf: ByteBuffer): Detection;
  createServerCodec(connection: Connection, callbacks: ServerCodecCallbacks): ServerCodec;
  createClientCodec(connection: Connection): ClientCodec;
}
