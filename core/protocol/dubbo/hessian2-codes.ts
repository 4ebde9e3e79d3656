// The leading octets of Hessian 2.0 values the reader and writer share, named as the spec's
// grammar names them (hessian.caucho.com/doc/hessian-serialization.html, section 3).

export const NULL = 0x4e; // 'N'
export const TRUE = 0x54; // 'T'
export const FALSE = 0x46; // 'F'
/** End of a variable-length list or of a map. */
export const END = 0x5a; // 'Z'
/** Untyped map: 'H' (key value)* 'Z'. */
export const MAP_UNTYPED = 0x48; // 'H'
/** Typed map: 'M' type (key value)* 'Z'. */
export const MAP_TYPED = 0x4d; // 'M'
/** Non-final string chunk: 'R' b1 b0 <utf8-data>, then more string. */
export const STRING_CHUNK = 0x52; // 'R'
/** Final string chunk: 'S' b1 b0 <utf8-data>. */
export const STRING_FINAL = 0x53; // 'S'
/** [x00-x1f]: a string of 0-31 chars; [x30-x33] b0: 0-1023 chars. */
export const STRING_SHORT_MAX = 0x1f;
export const STRING_MEDIUM = 0x30;
export const STRING_MEDIUM_MAX = 0x33;
/** A string chunk holds at most 0xffff chars; Java's Hessian2Output cuts at 0x8000. */
export const STRING_CHUNK_CHARS = 0x8000;

/** Whether `tag` starts a string (any chunk form), the only values Dubbo routing reads. */
export function isStringTag(tag: number): boolean {
  return tag <= STRING_SHORT_MAX || (tag >= STRING_MEDIUM && tag <= STRING_MEDIUM_MAX) || tag === STRING_CHUNK ||
    tag === STRING_FINAL;
}
