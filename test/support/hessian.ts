// hessian.js, the reference Hessian 2.0 peer the Dubbo codec is tested against, behind a typed
// surface: tests encode Java values with it and read the codec's output back with it.
import { Buffer } from "node:buffer";
import hessian from "hessian.js";

/**
 * The Hessian 2.0 encoding of `values` written one after another by one encoder, as Dubbo writes
 * a body: class definitions, types and back-references numbered over the whole stream. A value
 * is written as hessian.js writes it (`write`), or as the typed form `long`/`double` give.
 */
export function hessianEncode(...values: unknown[]): Uint8Array {
  const enc = new hessian.EncoderV2();
  for (const v of values) {
    if (v instanceof JavaLong) enc.writeLong(v.value);
    else if (v instanceof JavaDouble) enc.writeDouble(v.value);
    else enc.write(v);
  }
  return new Uint8Array(enc.get());
}

/** Every value in `bytes`, read in order with one decoder. */
export function hessianDecodeAll(bytes: Uint8Array): unknown[] {
  const dec = new hessian.DecoderV2(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const out: unknown[] = [];
  while (dec.position() < bytes.length) out.push(dec.read());
  return out;
}

class JavaLong {
  constructor(readonly value: number | string) {}
}

class JavaDouble {
  constructor(readonly value: number) {}
}

/** A Java long (hessian.js writes a JS number as an int when it fits); a decimal string past 2^53. */
export const long = (value: number | string): unknown => new JavaLong(value);
/** A Java double, even when the number is integral. */
export const double = (value: number): unknown => new JavaDouble(value);
/** A Java byte[] (hessian.js wants a Buffer). */
export const binary = (bytes: Uint8Array): unknown => Buffer.from(bytes);
/** A Java object of class `type`, written with a class definition ('C') and an instance ('O'). */
export const javaObject = (type: string, fields: Record<string, unknown>): unknown => ({ $class: type, $: fields });
