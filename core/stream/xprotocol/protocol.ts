import type { XCodec } from "../../protocol/xprotocol/codec.ts";
import type { Protocol } from "../protocol.ts";
import { XClientCodec } from "./client-codec.ts";
import { DEFAULT_XPROTOCOL_OPTIONS, type XProtocolOptions } from "./options.ts";
import { XServerCodec } from "./server-codec.ts";
import { xprotocolStats } from "./stats.ts";

/**
 * An RPC protocol of the xprotocol family as the proxy sees it: the generic multiplexing
 * codecs of this folder around one wire codec (core/protocol/<name>). Adding a protocol is its
 * wire codec plus one `addProtocol(xprotocol(codec))` on the registry.
 */
export function xprotocol(codec: XCodec, options: XProtocolOptions = DEFAULT_XPROTOCOL_OPTIONS): Protocol {
  return {
    name: codec.name,
    forwardedHeaders: false,
    detect: (buf) => codec.detect(buf),
    createServerCodec: (connection, callbacks, env) =>
      new XServerCodec(connection, callbacks, codec, options, xprotocolStats(env.stats, codec.name), env.logger),
    createClientCodec: (connection, env) =>
      new XClientCodec(connection, codec, env.runtime, options, xprotocolStats(env.stats, codec.name), env.logger),
  };
}
