/**
 * The content of a Bolt error response the proxy makes: a hessian2-serialized
 * `com.alipay.remoting.rpc.exception.RpcServerException` carrying the proxy's reason as its
 * `detailMessage`. SOFARPC clients (sofa-rpc-node, and Java's sofa-bolt) deserialize an error
 * response's content as the exception to raise, so the caller reads "RpcServerException: no
 * route for this request" instead of a bare status; MOSN sends no content and its callers see
 * only the status.
 *
 * Written in the form those clients read: the Hessian 2.0 draft's object definition ('O', the
 * type as an int length and its chars, the field count and names) and instance ('o', the
 * definition's index, the field values), which sofa-hessian-node writes and reads.
 */
const EXCEPTION_CLASS = "com.alipay.remoting.rpc.exception.RpcServerException";
const FIELDS = ["detailMessage", "stackTrace"];

/** Hessian 2 compact string: chars counted in UTF-16 units, so the text is kept to ASCII. */
function string(out: number[], text: string): void {
  const ascii = text.replace(/[^\x20-\x7e]/g, "?").slice(0, 0xffff);
  if (ascii.length < 32) out.push(ascii.length);
  else out.push(0x53, ascii.length >>> 8, ascii.length & 0xff); // 'S' + 16-bit length
  for (let i = 0; i < ascii.length; i++) out.push(ascii.charCodeAt(i));
}

/** Hessian 2 compact int for 0..2047 (one byte to 47, two bytes past it). */
function int(out: number[], n: number): void {
  if (n <= 47) out.push(0x90 + n);
  else out.push(0xc8 + (n >> 8), n & 0xff);
}

export function errorContent(message: string): Uint8Array {
  const out: number[] = [0x4f]; // 'O': object definition
  int(out, EXCEPTION_CLASS.length);
  for (let i = 0; i < EXCEPTION_CLASS.length; i++) out.push(EXCEPTION_CLASS.charCodeAt(i));
  int(out, FIELDS.length);
  for (const f of FIELDS) string(out, f);
  out.push(0x6f, 0x90); // 'o': an instance of definition 0
  string(out, message);
  out.push(0x4e); // stackTrace: null
  return Uint8Array.from(out);
}
