import { asciiString, fromCodes } from "./ascii-strings.ts";
import {
  END,
  FALSE,
  isStringTag,
  MAP_TYPED,
  MAP_UNTYPED,
  NULL,
  STRING_CHUNK,
  STRING_FINAL,
  STRING_MEDIUM,
  STRING_MEDIUM_MAX,
  STRING_SHORT_MAX,
  TRUE,
} from "./hessian2-codes.ts";

/** Bytes that are not Hessian 2.0, end too soon, or nest deeper than the reader allows. */
export class Hessian2Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Hessian2Error";
  }
}

/** Containers (lists, maps, objects) nested deeper than this are refused, so a hostile body cannot exhaust the stack. */
export const MAX_DEPTH = 64;

/**
 * A value as `readValue` returns it. Ints, longs and doubles are numbers (a long past 2^53 a
 * bigint); lists, typed or not, are arrays; maps are Maps (keys need not be strings); objects are
 * plain records: nothing is instantiated.
 */
export type HessianValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Date
  | Uint8Array
  | HessianValue[]
  | Map<HessianValue, HessianValue>
  | HessianObject;

/** A Java object instance: its class name and its fields, in a record without a prototype. */
export interface HessianObject {
  readonly type: string;
  readonly fields: Record<string, HessianValue>;
}

const EMPTY = new Uint8Array(0);
/** A char buffer grown past this for one long string is dropped afterwards rather than kept for the next frame. */
const KEEP_CHARS = 1 << 16;

const INT = 0x49; // 'I'
const LONG = 0x4c; // 'L'
const LONG_INT = 0x59; // 'Y': 32-bit int cast to long
const DOUBLE = 0x44; // 'D'
const DOUBLE_ZERO = 0x5b;
const DOUBLE_ONE = 0x5c;
const DOUBLE_BYTE = 0x5d;
const DOUBLE_SHORT = 0x5e;
const DOUBLE_MILL = 0x5f;
const DATE_MILLIS = 0x4a; // 'J'
const DATE_MINUTES = 0x4b; // 'K'
const BINARY_CHUNK = 0x41; // 'A'
const BINARY_FINAL = 0x42; // 'B'
const LIST_VARIABLE = 0x55;
const LIST_FIXED = 0x56; // 'V'
const LIST_VARIABLE_UNTYPED = 0x57;
const LIST_FIXED_UNTYPED = 0x58;
const CLASS_DEF = 0x43; // 'C'
const OBJECT = 0x4f; // 'O'
const REF = 0x51; // 'Q'

/**
 * A cursor over one Hessian 2.0 stream: the body of a Dubbo frame, read or skipped value by value.
 * The class definitions, type names and back-references a stream declares are numbered over the
 * whole stream (spec section 5, "Reference Maps"), so a reader is reset once per
 * body and keeps them across values: skipping an argument still records the classes it defines,
 * which a later object may use.
 *
 * Every read checks its bytes against the end and every count against the bytes left (each value
 * takes at least one byte), so malformed input throws Hessian2Error in time linear in its size and
 * never allocates more than it holds.
 */
export class Hessian2Reader {
  /** Offset of the next unread byte. */
  pos = 0;
  private bytes: Uint8Array = EMPTY;
  private end = 0;
  private view: DataView | null = null;
  /** Offset of each class definition's name (after its 'C'), and its field count. */
  private classOffsets: number[] = [];
  private classFields: number[] = [];
  private typeCount = 0;
  /** Containers seen, numbered for 'Q'; `refs` holds those `readValue` built (skipped ones stay holes). */
  private refCount = 0;
  private refs: HessianValue[] = [];
  private chars = new Uint16Array(256);
  private lastChunk = false;

  /** Starts reading a new stream in `bytes` from `start` to `end`. */
  reset(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.view = null;
    // Setting an array's length is not free; most bodies define no class and build no value.
    if (this.classOffsets.length !== 0) this.classOffsets.length = this.classFields.length = 0;
    if (this.refs.length !== 0) this.refs.length = 0;
    this.typeCount = 0;
    this.refCount = 0;
    if (this.chars.length > KEEP_CHARS) this.chars = new Uint16Array(256);
  }

  /** Lets go of the stream's bytes, so a reader kept between frames holds none alive. */
  release(): void {
    this.bytes = EMPTY;
    this.view = null;
    this.pos = this.end = 0;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** The next value's leading octet, not consumed. */
  peek(): number {
    if (this.pos >= this.end) throw new Hessian2Error("truncated: a value was expected");
    return this.bytes[this.pos]!;
  }

  /** A string, or null for 'N'; any other value throws. */
  readString(): string | null {
    const tag = this.peek();
    // Fast path: one final chunk of ASCII, the usual service, method and attachment, read
    // straight from the bytes without going through the char buffer.
    let len = -1;
    let at = this.pos + 1;
    if (tag <= STRING_SHORT_MAX) len = tag;
    else if (tag >= STRING_MEDIUM && tag <= STRING_MEDIUM_MAX && at < this.end) {
      len = ((tag - STRING_MEDIUM) << 8) | this.bytes[at++]!;
    } else if (tag === STRING_FINAL && at + 2 <= this.end) {
      len = (this.bytes[at]! << 8) | this.bytes[at + 1]!;
      at += 2;
    }
    if (len >= 0 && at + len <= this.end) {
      const s = asciiString(this.bytes, at, at + len);
      if (s !== null) {
        this.pos = at + len;
        return s;
      }
    }
    const n = this.readChars();
    return n < 0 ? null : fromCodes(this.chars, 0, n);
  }

  /**
   * Reads a string into `charBuffer` as UTF-16 units and returns how many, or -1 for 'N'; for a
   * caller that needs to look at a string without making one (the argument descriptor).
   */
  readChars(): number {
    let tag = this.byte();
    if (tag === NULL) return -1;
    let n = 0;
    for (;;) {
      let last = true;
      let len: number;
      if (tag <= STRING_SHORT_MAX) len = tag;
      else if (tag >= STRING_MEDIUM && tag <= STRING_MEDIUM_MAX) len = ((tag - STRING_MEDIUM) << 8) | this.byte();
      else if (tag === STRING_FINAL || tag === STRING_CHUNK) {
        len = this.u16();
        last = tag === STRING_FINAL;
      } else throw unexpected("string", tag);
      n = this.decodeChunk(len, n);
      if (last) return n;
      tag = this.byte();
    }
  }

  /** The UTF-16 units of the last `readChars`. */
  get charBuffer(): Uint16Array {
    return this.chars;
  }

  /**
   * If a map starts here, consumes its head ('H', or 'M' and its type) and returns true; consumes
   * 'N' and returns false. Entries (key, value) follow until `takeEnd` finds its end.
   */
  beginMap(): boolean {
    const tag = this.byte();
    if (tag === NULL) return false;
    if (tag === MAP_TYPED) this.skipType();
    else if (tag !== MAP_UNTYPED) throw unexpected("map", tag);
    this.refCount++;
    return true;
  }

  /** Consumes the 'Z' that ends a map or a variable-length list, if it is next. */
  takeEnd(): boolean {
    if (this.peek() !== END) return false;
    this.pos++;
    return true;
  }

  /** Whether the next value is a string (of any chunk form). */
  stringNext(): boolean {
    return isStringTag(this.peek());
  }

  /** Consumes one value of any kind, without building it. */
  skip(): void {
    this.skipValue(0);
  }

  /** Reads one value of any kind (see HessianValue). */
  readValue(): HessianValue {
    return this.value(0);
  }

  private skipValue(depth: number): void {
    let tag = this.byte();
    // class-def value (spec section 3, the grammar): a definition is followed by the value that uses it.
    while (tag === CLASS_DEF) {
      this.classDef();
      tag = this.byte();
    }
    if (tag <= STRING_SHORT_MAX || (tag >= STRING_MEDIUM && tag <= STRING_MEDIUM_MAX)) {
      this.pos--;
      this.skipString();
    } else if (tag >= 0x80) {
      this.skipNumber(tag);
    } else if (tag >= 0x60) {
      if (depth >= MAX_DEPTH) throw tooDeep();
      if (tag <= 0x6f) this.skipObject(tag - 0x60, depth);
      else if (tag <= 0x77) {
        this.skipType();
        this.skipItems(tag - 0x70, depth);
      } else this.skipItems(tag - 0x78, depth);
    } else if (tag >= 0x20 && tag <= 0x2f) {
      this.advance(tag - 0x20);
    } else if (tag >= 0x34 && tag <= 0x37) {
      this.advance(((tag - 0x34) << 8) | this.byte());
    } else if (tag >= 0x38 && tag <= 0x3f) {
      this.advance(2); // long, three octets
    } else {
      switch (tag) {
        case NULL:
        case TRUE:
        case FALSE:
        case DOUBLE_ZERO:
        case DOUBLE_ONE:
          return;
        case DOUBLE_BYTE:
          return this.advance(1);
        case DOUBLE_SHORT:
          return this.advance(2);
        case INT:
        case LONG_INT:
        case DOUBLE_MILL:
        case DATE_MINUTES:
          return this.advance(4);
        case LONG:
        case DOUBLE:
        case DATE_MILLIS:
          return this.advance(8);
        case STRING_CHUNK:
        case STRING_FINAL:
          this.pos--;
          return this.skipString();
        case BINARY_CHUNK:
        case BINARY_FINAL:
          this.pos--;
          return this.skipBinary();
        case REF:
          return void this.refIndex();
      }
      if (depth >= MAX_DEPTH) throw tooDeep();
      switch (tag) {
        case MAP_UNTYPED:
        case MAP_TYPED:
          if (tag === MAP_TYPED) this.skipType();
          this.refCount++;
          while (!this.takeEnd()) {
            this.skipValue(depth + 1);
            this.skipValue(depth + 1);
          }
          return;
        case LIST_VARIABLE:
        case LIST_VARIABLE_UNTYPED:
          if (tag === LIST_VARIABLE) this.skipType();
          this.refCount++;
          while (!this.takeEnd()) this.skipValue(depth + 1);
          return;
        case LIST_FIXED:
          this.skipType();
          return this.skipItems(this.counted(this.readInt()), depth);
        case LIST_FIXED_UNTYPED:
          return this.skipItems(this.counted(this.readInt()), depth);
        case OBJECT:
          return this.skipObject(this.readInt(), depth);
      }
      throw unexpected("value", tag);
    }
  }

  /** Ints [x80-xd7] and longs [xd8-xff]: the compact forms whose width the tag tells. */
  private skipNumber(tag: number): void {
    if (tag <= 0xbf || (tag >= 0xd8 && tag <= 0xef)) return;
    if (tag <= 0xcf || tag >= 0xf0) this.advance(1);
    else this.advance(2); // [xd0-xd7], three-octet int
  }

  /** A fixed-length list's items, after its head; the list is one ref. */
  private skipItems(count: number, depth: number): void {
    this.refCount++;
    for (let i = 0; i < count; i++) this.skipValue(depth + 1);
  }

  private skipObject(classIndex: number, depth: number): void {
    const fields = this.classFields[classIndex];
    if (fields === undefined) throw new Hessian2Error(`object of undefined class #${classIndex}`);
    this.refCount++;
    for (let i = 0; i < fields; i++) this.skipValue(depth + 1);
  }

  private value(depth: number): HessianValue {
    let tag = this.peek();
    while (tag === CLASS_DEF) {
      this.pos++;
      this.classDef();
      tag = this.peek();
    }
    if (isStringTag(tag)) return this.readString();
    this.pos++;
    if (tag >= 0x80 && tag <= 0xd7) return this.intOf(tag);
    if ((tag >= 0xd8) || (tag >= 0x38 && tag <= 0x3f) || tag === LONG || tag === LONG_INT) return this.longOf(tag);
    switch (tag) {
      case NULL:
        return null;
      case TRUE:
        return true;
      case FALSE:
        return false;
      case INT:
        return this.intOf(tag);
      case DOUBLE:
        this.need(8);
        this.pos += 8;
        return this.dataView().getFloat64(this.pos - 8);
      case DOUBLE_ZERO:
        return 0;
      case DOUBLE_ONE:
        return 1;
      case DOUBLE_BYTE:
        return (this.byte() << 24) >> 24;
      case DOUBLE_SHORT:
        return (this.u16() << 16) >> 16;
      case DOUBLE_MILL:
        // Java's Hessian2Output writes a double with at most three decimals as int milliunits.
        return 0.001 * this.i32();
      case DATE_MILLIS:
        return new Date(Number(this.i64())); // past 2^53 ms: an Invalid Date, as JS has no such time
      case DATE_MINUTES:
        return new Date(this.i32() * 60000);
      case REF: {
        const i = this.refIndex();
        return this.refs[i] ?? null;
      }
    }
    if (tag === BINARY_CHUNK || tag === BINARY_FINAL || (tag >= 0x20 && tag <= 0x2f) || (tag >= 0x34 && tag <= 0x37)) {
      this.pos--;
      return this.readBinary();
    }
    if (depth >= MAX_DEPTH) throw tooDeep();
    if (tag === MAP_UNTYPED || tag === MAP_TYPED) {
      if (tag === MAP_TYPED) this.skipType();
      const map = new Map<HessianValue, HessianValue>();
      this.refs[this.refCount++] = map;
      while (!this.takeEnd()) {
        const key = this.value(depth + 1);
        map.set(key, this.value(depth + 1));
      }
      return map;
    }
    if (tag >= 0x60 && tag <= 0x6f) return this.object(tag - 0x60, depth);
    if (tag === OBJECT) return this.object(this.readInt(), depth);
    let count = -1;
    if (tag === LIST_VARIABLE || tag === LIST_FIXED || (tag >= 0x70 && tag <= 0x77)) this.skipType();
    if (tag === LIST_FIXED || tag === LIST_FIXED_UNTYPED) count = this.counted(this.readInt());
    else if (tag >= 0x70 && tag <= 0x7f) count = tag & 7;
    else if (tag !== LIST_VARIABLE && tag !== LIST_VARIABLE_UNTYPED) throw unexpected("value", tag);
    const list: HessianValue[] = [];
    this.refs[this.refCount++] = list;
    if (count < 0) { while (!this.takeEnd()) list.push(this.value(depth + 1)); }
    else for (let i = 0; i < count; i++) list.push(this.value(depth + 1));
    return list;
  }

  private object(classIndex: number, depth: number): HessianObject {
    const at = this.classOffsets[classIndex];
    if (at === undefined) throw new Hessian2Error(`object of undefined class #${classIndex}`);
    // Field names are read back from the definition, which the stream holds before this point.
    const resume = this.pos;
    this.pos = at;
    const type = this.readString() ?? "";
    const count = this.readInt();
    const names: string[] = [];
    for (let i = 0; i < count; i++) names.push(this.readString() ?? "");
    this.pos = resume;
    const fields: Record<string, HessianValue> = Object.create(null);
    const obj: HessianObject = { type, fields };
    this.refs[this.refCount++] = obj;
    for (const name of names) fields[name] = this.value(depth + 1);
    return obj;
  }

  /** 'C' string int string*: records where the definition is and how many fields it has. */
  private classDef(): void {
    const at = this.pos;
    this.skipString();
    const fields = this.counted(this.readInt());
    for (let i = 0; i < fields; i++) this.skipString();
    this.classOffsets.push(at);
    this.classFields.push(fields);
  }

  /** type ::= string | int (a reference to an earlier type string, spec 4.13). */
  private skipType(): void {
    if (isStringTag(this.peek())) {
      this.skipString();
      this.typeCount++;
      return;
    }
    const ref = this.readInt();
    if (ref < 0 || ref >= this.typeCount) throw new Hessian2Error(`type reference #${ref} to an undefined type`);
  }

  private refIndex(): number {
    const ref = this.readInt();
    if (ref < 0 || ref >= this.refCount) throw new Hessian2Error(`back-reference #${ref} to an unread value`);
    return ref;
  }

  /** A count from the stream, checked against the bytes left: each item takes at least one. */
  private counted(n: number): number {
    if (n < 0 || n > this.end - this.pos) {
      throw new Hessian2Error(`count ${n} exceeds the ${this.end - this.pos} bytes left`);
    }
    return n;
  }

  /** An int in any of its forms (spec 4.5), where the grammar puts one. */
  private readInt(): number {
    const tag = this.byte();
    if (tag === INT || (tag >= 0x80 && tag <= 0xd7)) return this.intOf(tag);
    throw unexpected("int", tag);
  }

  private intOf(tag: number): number {
    if (tag === INT) return this.i32();
    if (tag <= 0xbf) return tag - 0x90;
    if (tag <= 0xcf) return ((tag - 0xc8) << 8) | this.byte();
    return ((tag - 0xd4) << 16) | this.u16();
  }

  private longOf(tag: number): number | bigint {
    if (tag >= 0xd8 && tag <= 0xef) return tag - 0xe0;
    if (tag >= 0xf0) return ((tag - 0xf8) << 8) | this.byte();
    if (tag >= 0x38 && tag <= 0x3f) return ((tag - 0x3c) << 16) | this.u16();
    if (tag === LONG_INT) return this.i32();
    return this.i64();
  }

  private readBinary(): Uint8Array {
    const start = this.pos;
    // First pass sizes the chunks, second copies them: one allocation for any number of chunks.
    let size = 0;
    do {
      const len = this.binaryChunk();
      size += len;
      this.advance(len);
    } while (!this.lastChunk);
    const out = new Uint8Array(size);
    const end = this.pos;
    this.pos = start;
    for (let at = 0; at < size;) {
      const len = this.binaryChunk();
      out.set(this.bytes.subarray(this.pos, this.pos + len), at);
      at += len;
      this.pos += len;
    }
    this.pos = end;
    return out;
  }

  private skipBinary(): void {
    do this.advance(this.binaryChunk()); while (!this.lastChunk);
  }

  /**
   * One binary chunk's head, returning its length: 'A' b1 b0 (more chunks follow), 'B' b1 b0,
   * [x20-x2f], [x34-x37] b0 (spec 4.1); `lastChunk` says whether it ends the value.
   */
  private binaryChunk(): number {
    const tag = this.byte();
    this.lastChunk = tag !== BINARY_CHUNK;
    if (tag === BINARY_CHUNK || tag === BINARY_FINAL) return this.u16();
    if (tag >= 0x20 && tag <= 0x2f) return tag - 0x20;
    if (tag >= 0x34 && tag <= 0x37) return ((tag - 0x34) << 8) | this.byte();
    throw unexpected("binary", tag);
  }

  private skipString(): void {
    for (;;) {
      const tag = this.byte();
      let last = true;
      let len: number;
      if (tag <= STRING_SHORT_MAX) len = tag;
      else if (tag >= STRING_MEDIUM && tag <= STRING_MEDIUM_MAX) len = ((tag - STRING_MEDIUM) << 8) | this.byte();
      else if (tag === STRING_FINAL || tag === STRING_CHUNK) {
        len = this.u16();
        last = tag === STRING_FINAL;
      } else throw unexpected("string", tag);
      this.skipChars(len);
      if (last) return;
    }
  }

  /**
   * Skips `len` chars of a chunk. A string's length counts UTF-16 units, so its byte length is
   * only known by walking the lead bytes: Java writes each unit as 1-3 bytes (a surrogate as its
   * own 3-byte sequence, Hessian2Output.printString). A 4-byte sequence, which other writers
   * produce for a pair, counts as the two units it stands for.
   */
  private skipChars(len: number): void {
    const bytes = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < len;) {
      if (pos >= this.end) throw truncated();
      const b = bytes[pos]!;
      if (b < 0x80) pos++;
      else if (b >= 0xc0 && b < 0xe0) pos += 2;
      else if (b >= 0xe0 && b < 0xf0) pos += 3;
      else if (b >= 0xf0 && b < 0xf8 && i + 1 < len) {
        pos += 4;
        i++;
      } else throw badUtf8(b);
      i++;
    }
    if (pos > this.end) throw truncated();
    this.pos = pos;
  }

  /** Decodes `len` chars of a chunk into the char buffer at `n`; returns the new count. */
  private decodeChunk(len: number, n: number): number {
    // Each char takes at least one byte: a length past the bytes left is refused before the
    // buffer grows for it.
    if (len > this.end - this.pos) throw truncated();
    if (n + len > this.chars.length) {
      const grown = new Uint16Array(Math.max(n + len, this.chars.length * 2));
      grown.set(this.chars.subarray(0, n));
      this.chars = grown;
    }
    const bytes = this.bytes;
    const chars = this.chars;
    const end = this.end;
    let pos = this.pos;
    for (let i = 0; i < len; i++) {
      if (pos >= end) throw truncated();
      const b = bytes[pos]!;
      if (b < 0x80) {
        chars[n++] = b;
        pos++;
      } else if (b >= 0xc0 && b < 0xe0) {
        if (pos + 2 > end) throw truncated();
        chars[n++] = ((b & 0x1f) << 6) | (bytes[pos + 1]! & 0x3f);
        pos += 2;
      } else if (b >= 0xe0 && b < 0xf0) {
        if (pos + 3 > end) throw truncated();
        chars[n++] = ((b & 0x0f) << 12) | ((bytes[pos + 1]! & 0x3f) << 6) | (bytes[pos + 2]! & 0x3f);
        pos += 3;
      } else if (b >= 0xf0 && b < 0xf8 && i + 1 < len) {
        if (pos + 4 > end) throw truncated();
        const cp = (((b & 0x07) << 18) | ((bytes[pos + 1]! & 0x3f) << 12) | ((bytes[pos + 2]! & 0x3f) << 6) |
          (bytes[pos + 3]! & 0x3f)) - 0x10000;
        chars[n++] = 0xd800 | ((cp >> 10) & 0x3ff);
        chars[n++] = 0xdc00 | (cp & 0x3ff);
        pos += 4;
        i++;
      } else throw badUtf8(b);
    }
    this.pos = pos;
    return n;
  }

  private dataView(): DataView {
    return this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw truncated();
  }

  private advance(n: number): void {
    this.need(n);
    this.pos += n;
  }

  private byte(): number {
    if (this.pos >= this.end) throw truncated();
    return this.bytes[this.pos++]!;
  }

  private u16(): number {
    this.need(2);
    const b = this.bytes;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  private i32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  /** A big-endian 64-bit signed integer: a number up to 2^53, a bigint past it. */
  private i64(): number | bigint {
    const hi = this.i32();
    const lo = this.i32() >>> 0;
    const n = hi * 0x1_0000_0000 + lo;
    return Number.isSafeInteger(n) ? n : (BigInt(hi) << 32n) | BigInt(lo);
  }
}

function truncated(): Hessian2Error {
  return new Hessian2Error("truncated: the value runs past the end of the body");
}

function tooDeep(): Hessian2Error {
  return new Hessian2Error(`values nested deeper than ${MAX_DEPTH}`);
}

function badUtf8(b: number): Hessian2Error {
  return new Hessian2Error(`bad UTF-8 lead byte 0x${b.toString(16)} in a string`);
}

function unexpected(what: string, tag: number): Hessian2Error {
  return new Hessian2Error(`expected ${what}, found tag 0x${tag.toString(16)}`);
}
