/**
 * The number of parameters in a JVM method descriptor's parameter list, as Dubbo writes it into
 * a request ("Ljava/lang/String;I[J[Lcom/foo/Bar;"): one per primitive letter or per
 * `L...;` class name, array dimensions ('[') counting with the type they prefix. Counted as
 * MOSN's getArgumentCount counts (pkg/protocol/xprotocol/dubbo/decoder.go), over the UTF-16
 * units `units[0, n)` so no string is made.
 */
export function countArguments(units: Uint16Array, n: number): number {
  let count = 0;
  let inClassName = false;
  for (let i = 0; i < n; i++) {
    const c = units[i]!;
    if (inClassName) {
      if (c === SEMICOLON) inClassName = false;
    } else if (c === CLASS) {
      count++;
      inClassName = true;
    } else if (PRIMITIVES.includes(c)) count++;
    // '[' and anything else outside a class name count nothing.
  }
  return count;
}

const SEMICOLON = 0x3b;
const CLASS = 0x4c; // 'L'
/** V Z B C D F I J S: void (which MOSN counts too), boolean, byte, char, double, float, int, long, short. */
const PRIMITIVES = Array.from("VZBCDFIJS", (c) => c.charCodeAt(0));
