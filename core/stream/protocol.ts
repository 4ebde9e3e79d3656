import type { ByteBuffer } from "../net/byte-buffer.ts";
import type { Connection } from "../net/connection.ts";
import type { Runtime } from "../net/runtime.ts";
import type { Logger } from "../observe/logger.ts";
import type { Stats } from "../observe/stats.ts";
import type { ClientCodec, ServerCodec, ServerCodecCallbacks } from "./types.ts";

/** What a `detect` says about the first bytes of a connection. */
export type Detection = "yes" | "no" | "more";

/** What codecs may use beyond their connection: timers (heartbeats), counters and the log. */
export interface CodecEnv {
  readonly runtime: Runtime;
  readonly stats: Stats;
  readonly logger: Logger;
}

/**
 * One L7 protocol as the proxy sees it: how to recognise it from a connection's first bytes
 * (for `Auto` listeners) and how to build its codecs. Registered on the Registry; the proxy and
 * the pools never name a protocol.
 */
export interface Protocol {
  /** As MOSN writes it in `downstream_protocol` / `upstream_protocol`: "Http1", "Http2", "bolt", ... */
  readonly name: string;
  /** Whether requests carry HTTP's X-Forwarded-For and X-Forwarded-Proto (RPC headers do not). */
  readonly forwardedHeaders: boolean;
  /** Whether `buf` starts like this protocol; "more" when too few bytes are in to tell. */
  detect(buf: ByteBuffer): Detection;
  createServerCodec(connection: Connection, callbacks: ServerCodecCallbacks, env: CodecEnv): ServerCodec;
  createClientCodec(connection: Connection, env: CodecEnv): ClientCodec;
}
