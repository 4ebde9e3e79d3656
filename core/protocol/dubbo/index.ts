import type { XCodec } from "../xprotocol/codec.ts";
import { decode, PROTOCOL } from "./decode.ts";
import { encode } from "./encode.ts";
import { detect, frameLength } from "./frame-header.ts";
import { errorResponse, heartbeat, heartbeatReply } from "./replies.ts";

/** Dubbo 2.x over TCP with Hessian 2.0 bodies (MOSN's "dubbo" xprotocol). */
export const dubboCodec: XCodec = {
  name: PROTOCOL,
  detect,
  frameLength,
  decode,
  encode,
  /** Dubbo's id is 64 bits; the proxy's ids stay numbers. */
  maxRequestId: Number.MAX_SAFE_INTEGER,
  heartbeat,
  heartbeatReply,
  errorResponse,
};
