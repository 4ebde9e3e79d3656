// Shared by this folder's tests: Dubbo frames built around bodies hessian.js encodes, as a Java
// consumer's DubboCodec writes them, and read back the same way.
import { hessianDecodeAll, hessianEncode } from "../../../test/support/hessian.ts";

export interface Invocation {
  id?: number;
  twoWay?: boolean;
  serialization?: number;
  dubboVersion?: string;
  path?: string;
  version?: string | null;
  method?: string;
  descriptor?: string;
  args?: unknown[];
  /** The attachments value: a map (object or Map), null, or `undefined` for none at all. */
  attachments?: unknown;
}

export const DEFAULT_ATTACHMENTS = {
  path: "com.example.DemoService",
  interface: "com.example.DemoService",
  version: "1.0.0",
  group: "blue",
  timeout: "3000",
};

/** A request frame: header, then version, path, version, method, descriptor, args, attachments. */
export function requestFrame(inv: Invocation = {}): Uint8Array {
  const values: unknown[] = [
    inv.dubboVersion ?? "2.0.2",
    inv.path ?? "com.example.DemoService",
    inv.version === undefined ? "1.0.0" : inv.version,
    inv.method ?? "sayHello",
    inv.descriptor ?? "Ljava/lang/String;",
    ...(inv.args ?? ["world"]),
  ];
  if (!("attachments" in inv)) values.push(DEFAULT_ATTACHMENTS);
  else if (inv.attachments !== undefined) values.push(inv.attachments);
  const flag = 0x80 | (inv.twoWay === false ? 0 : 0x40) | (inv.serialization ?? 2);
  return frame(flag, 0, inv.id ?? 7, hessianEncode(...values));
}

/** A frame of `body` with the given flag and status byte. */
export function frame(flag: number, status: number, id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + body.length);
  out[0] = 0xda;
  out[1] = 0xbb;
  out[2] = flag;
  out[3] = status;
  new DataView(out.buffer).setBigUint64(4, BigInt(id));
  new DataView(out.buffer).setUint32(12, body.length);
  out.set(body, 16);
  return out;
}

/** A request frame's body read back by hessian.js: its leading fields, its args and its attachments. */
export function readRequest(bytes: Uint8Array, argCount: number): {
  fields: unknown[];
  args: unknown[];
  attachments: unknown;
} {
  const all = hessianDecodeAll(bytes.subarray(16));
  return { fields: all.slice(0, 5), args: all.slice(5, 5 + argCount), attachments: all[5 + argCount] };
}

/** The frame's body length field. */
export const bodyLengthOf = (bytes: Uint8Array): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(12);
