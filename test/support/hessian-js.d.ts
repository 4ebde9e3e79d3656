// Types for the parts of the `hessian.js` package (a devDependency) the Dubbo tests use as a
// reference Hessian 2.0 peer. The package ships none; core/ never imports it.
declare module "hessian.js" {
  /** A Java value as hessian.js spells it: `{ $class: "com.foo.Bar", $: { field: value } }`. */
  export interface JavaValue {
    $class: string;
    $: unknown;
  }

  export class EncoderV2 {
    constructor(options?: { size?: number });
    /** Writes any JS value (number: int, long or double by magnitude; object: map; array: list). */
    write(value: unknown): this;
    writeNull(): this;
    writeBool(value: boolean): this;
    writeInt(value: number): this;
    writeLong(value: number | string): this;
    writeDouble(value: number): this;
    writeDate(value: Date | number): this;
    writeBytes(value: Uint8Array): this;
    writeString(value: string): this;
    writeObject(value: unknown): this;
    writeMap(value: unknown): this;
    writeArray(value: unknown): this;
    /** The bytes written so far (a Node Buffer). */
    get(): Uint8Array;
    reset(): this;
  }

  export class DecoderV2 {
    constructor(bytes: Uint8Array);
    /** Reads the next value; `withType` keeps Java types as `{ $class, $ }`. */
    read(withType?: boolean): unknown;
    /** The offset of the next unread byte. */
    position(): number;
  }

  export function decode(bytes: Uint8Array, version: "2.0", withType?: boolean): unknown;
}
