// Byte classes of RFC 9110 §5.6.2 (token) and §5.5 (field values), as lookup tables: one array
// read per byte on the parsing path.

function table(test: (b: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = test(b) ? 1 : 0;
  return t;
}

const isAlnum = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** tchar: what a method or a field name is made of. */
export const TOKEN = table((b) => isAlnum(b) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(b)));

/** field-vchar plus SP and HTAB: what a field value may hold (obs-text 0x80-0xFF included). */
export const FIELD_VALUE = table((b) => b === 0x09 || (b >= 0x20 && b !== 0x7f));

/**
 * A request-target byte: anything visible (0x21-0x7E) plus obs-text, which some clients send
 * raw in paths and which splits no message. Space, CTLs and DEL are refused: they are how a
 * target smuggles a second request line.
 */
export const TARGET = table((b) => b > 0x20 && b !== 0x7f);

/** reason-phrase = *( HTAB / SP / VCHAR / obs-text ), RFC 9112 §4. */
export const REASON = FIELD_VALUE;

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
