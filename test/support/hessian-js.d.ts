// Types for the parts of the `hessian.js` package (a devDependency) that test/support/hessian.ts
// wraps. The package ships none; core/ never imports it.
declare module "hessian.js" {
  class EncoderV2 {
    constructor(options?: { size?: number });
    /** Writes any JS value (number: int, long or double by magnitude; object: map; array: list). */
    write(value: unknown): this;
    writeLong(value: number | string): this;
    writeDouble(value: number): this;
    writeString(value: string): this;
    /** The bytes written so far (a Node Buffer). */
    get(): Uint8Array;
  }

  class DecoderV2 {
    constructor(bytes: Uint8Array);
    /** Reads the next value; `withType` keeps Java types as `{ $class, $ }`. */
    read(withType?: boolean): unknown;
    /** The offset of the next unread byte. */
    position(): number;
  }

  const hessian: {
    EncoderV2: typeof EncoderV2;
    DecoderV2: typeof DecoderV2;
  };
  export default hessian;
}
