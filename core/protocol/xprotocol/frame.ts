import { HeaderMap } from "../../stream/header-map.ts";

/** What a codec's `decode` learned from a frame's fixed header. */
export interface XFrameInit {
  /** The codec's name ("bolt", "dubbo"): a client codec forwards only frames of its own protocol raw. */
  readonly protocol: string;
  /** The whole frame, owned by the frame: the proxy patches the request id in place. */
  readonly bytes: Uint8Array;
  readonly isRequest: boolean;
  /** A request that gets no response (Bolt type 2, Dubbo's two-way bit clear). */
  readonly oneway: boolean;
  /** Answered at the hop that receives it, never routed (Bolt cmdcode 0, Dubbo's event bit). */
  readonly heartbeat: boolean;
  /** Where the request id sits in `bytes`, and its width (Bolt 5 and 4, Dubbo 4 and 8). */
  readonly idOffset: number;
  readonly idLength: number;
  /** A response's status in the protocol's own codes; -1 on requests. */
  readonly status: number;
  /** The timeout the caller wrote into the request (Bolt's timeout field); 0 when none. */
  readonly timeoutMs: number;
}

/**
 * One decoded RPC frame: its raw bytes, the fields of its fixed header, and the header view the
 * router and stream filters use (MOSN's XFrame: "the frame is the HeaderMap"). Codecs fill the
 * view with `init`, which leaves the frame clean; any later change through the HeaderMap methods
 * marks it `dirty`, and the codec then re-encodes its headers instead of forwarding the bytes.
 *
 * Keys: the protocol's own header names as they arrived (Bolt's header map, Dubbo's
 * `service`/`method`/`version`/`group` and attachments), plus pseudo-keys that encoders skip:
 * `:service` and `:rpc-method` on requests, and on responses `:status` as an HTTP status (MOSN's
 * mapping), so retries and stats read RPC responses as they read HTTP ones.
 */
export class XFrame extends HeaderMap {
  readonly protocol: string;
  bytes: Uint8Array;
  readonly isRequest: boolean;
  readonly oneway: boolean;
  readonly heartbeat: boolean;
  readonly idOffset: number;
  readonly idLength: number;
  readonly status: number;
  readonly timeoutMs: number;
  /** A header changed since decode: the bytes no longer say what the HeaderMap says. */
  dirty = false;
  /** The bytes went to a write: they are the socket's now, and a second send must copy them. */
  written = false;
  private filling = false;

  constructor(init: XFrameInit) {
    super();
    this.protocol = init.protocol;
    this.bytes = init.bytes;
    this.isRequest = init.isRequest;
    this.oneway = init.oneway;
    this.heartbeat = init.heartbeat;
    this.idOffset = init.idOffset;
    this.idLength = init.idLength;
    this.status = init.status;
    this.timeoutMs = init.timeoutMs;
  }

  /** Adds an entry while decoding, without marking the frame dirty. */
  init(name: string, value: string): void {
    this.filling = true;
    super.add(name, value);
    this.filling = false;
  }

  override add(name: string, value: string): void {
    super.add(name, value);
    if (!this.filling) this.dirty = true;
  }

  override set(name: string, value: string): void {
    const lower = name.toLowerCase();
    // Setting what is already there (once) changes nothing, so the frame stays clean.
    if (this.get(lower) === value && this.getAll(lower).length === 1) return;
    super.set(name, value);
    this.dirty = true;
  }

  override delete(name: string): boolean {
    const had = super.delete(name);
    if (had) this.dirty = true;
    return had;
  }

  /** The request id as a number: up to 2^53 - 1; NaN for a wider id (a 64-bit Dubbo id past it). */
  get requestId(): number {
    return readId(this.bytes, this.idOffset, this.idLength);
  }

  /** A copy of the request id's bytes, to write back into the response (any width). */
  idBytes(): Uint8Array {
    return copyBytes(this.bytes.subarray(this.idOffset, this.idOffset + this.idLength));
  }
}

/**
 * A copy of `bytes` in memory of its own. Not `bytes.slice()`: read chunks may be Node Buffers,
 * whose `slice` is a view, and a view of a frame whose id is patched later changes with it.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** A big-endian unsigned id of 1 to 8 bytes; NaN past Number.MAX_SAFE_INTEGER. */
export function readId(bytes: Uint8Array, offset: number, length: number): number {
  let n = 0;
  for (let i = 0; i < length; i++) n = n * 256 + bytes[offset + i]!;
  return n <= Number.MAX_SAFE_INTEGER ? n : NaN;
}

/** Writes `id` (0 <= id <= 2^53 - 1) big-endian into `length` bytes at `offset`. */
export function writeId(bytes: Uint8Array, offset: number, length: number, id: number): void {
  for (let i = length - 1; i >= 0; i--) {
    bytes[offset + i] = id % 256;
    id = Math.floor(id / 256);
  }
}
