import { assert, describe, it } from "../../../test/support/test-api.ts";
import { asciiString, fromCodes } from "./ascii-strings.ts";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("ascii strings", () => {
  it("reads ASCII, refuses anything else", () => {
    assert.equal(asciiString(bytes("xxgroupyy"), 2, 7), "group");
    assert.equal(asciiString(bytes(""), 0, 0), "");
    assert.equal(asciiString(Uint8Array.of(0x61, 0xc3, 0xa9), 0, 3), null);
  });

  it("a remembered string is returned only for the same bytes", () => {
    const a = asciiString(bytes("com.example.A"), 0, 13);
    assert.equal(asciiString(bytes("com.example.A"), 0, 13), a);
    assert.equal(asciiString(bytes("com.example.B"), 0, 13), "com.example.B");
    assert.equal(asciiString(bytes("com.example.AB"), 0, 14), "com.example.AB");
    // Colliding slots: every string still comes back as itself.
    for (let i = 0; i < 5000; i++) assert.equal(asciiString(bytes(`k${i}`), 0, `k${i}`.length), `k${i}`);
  });

  it("long strings, past the table and past one fromCharCode call", () => {
    const s = "abc".repeat(5000);
    assert.equal(asciiString(bytes(s), 0, s.length), s);
    assert.equal(fromCodes(Uint16Array.from(s, (c) => c.charCodeAt(0)), 3, 9000), s.slice(3, 9000));
  });
});
