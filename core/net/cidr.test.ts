import { assert, describe, it } from "../../test/support/test-api.ts";
import { checkCidrRange, cidrContains } from "./cidr.ts";
import { isIpv4, parseIp } from "./ip.ts";

const hex = (
  b: Uint8Array | undefined,
) => (b === undefined ? undefined : [...b].map((x) => x.toString(16).padStart(2, "0")).join(""));

describe("parseIp", () => {
  it("maps IPv4 into ::ffff:0:0/96", () => {
    assert.equal(hex(parseIp("1.2.3.4")), "00000000000000000000ffff01020304");
    assert.equal(hex(parseIp("::ffff:1.2.3.4")), hex(parseIp("1.2.3.4")));
  });

  it("reads the IPv6 forms", () => {
    assert.equal(hex(parseIp("::")), "0".repeat(32));
    assert.equal(hex(parseIp("::1")), "0".repeat(31) + "1");
    assert.equal(hex(parseIp("fe80::")), "fe80" + "0".repeat(28));
    assert.equal(hex(parseIp("2001:DB8:0:0:1:0:0:1")), "20010db8000000000001000000000001");
    assert.equal(hex(parseIp("2001:db8::1:0:0:1")), "20010db8000000000001000000000001");
    assert.equal(hex(parseIp("64:ff9b::192.0.2.33")), "0064ff9b0000000000000000c0000221");
  });

  it("refuses what is not an IP literal", () => {
    for (
      const bad of [
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.-4",
        "a.b.c.d",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "12345::",
        "::g",
        "1.2.3.4::",
        ":1::",
        "1:",
        "localhost",
        "fe80::1%eth0",
      ]
    ) {
      assert.equal(parseIp(bad), undefined, bad);
    }
  });

  it("tells IPv4 from IPv6", () => {
    assert.equal(isIpv4("10.0.0.1"), true);
    assert.equal(isIpv4("::ffff:10.0.0.1"), false);
  });
});

describe("cidrContains", () => {
  const r = (address: string, length: number) => ({ address, length });

  it("matches IPv4 prefixes, ignoring host bits in the range", () => {
    assert.equal(cidrContains(r("10.0.0.0", 8), "10.200.3.4"), true);
    assert.equal(cidrContains(r("10.1.2.3", 8), "10.200.3.4"), true);
    assert.equal(cidrContains(r("10.0.0.0", 8), "11.0.0.1"), false);
    assert.equal(cidrContains(r("192.168.1.0", 25), "192.168.1.127"), true);
    assert.equal(cidrContains(r("192.168.1.0", 25), "192.168.1.128"), false);
    assert.equal(cidrContains(r("127.0.0.1", 32), "127.0.0.1"), true);
    assert.equal(cidrContains(r("127.0.0.1", 32), "127.0.0.2"), false);
    assert.equal(cidrContains(r("0.0.0.0", 0), "203.0.113.9"), true);
  });

  it("matches IPv4-mapped IPv6 addresses against IPv4 ranges", () => {
    assert.equal(cidrContains(r("10.0.0.0", 8), "::ffff:10.9.8.7"), true);
    assert.equal(cidrContains(r("10.0.0.0", 8), "::FFFF:11.9.8.7"), false);
    assert.equal(cidrContains(r("::ffff:10.0.0.0", 104), "10.9.8.7"), true);
  });

  it("keeps IPv4 ranges from matching plain IPv6 addresses", () => {
    assert.equal(cidrContains(r("0.0.0.0", 0), "::1"), false);
    assert.equal(cidrContains(r("0.0.0.0", 0), "2001:db8::1"), false);
  });

  it("matches IPv6 prefixes, with or without a zone on the address", () => {
    assert.equal(cidrContains(r("2001:db8::", 32), "2001:db8:ffff::1"), true);
    assert.equal(cidrContains(r("2001:db8::", 32), "2001:db9::1"), false);
    assert.equal(cidrContains(r("2001:db8::", 33), "2001:db8:7fff::1"), true);
    assert.equal(cidrContains(r("2001:db8::", 33), "2001:db8:8000::1"), false);
    assert.equal(cidrContains(r("fe80::", 10), "fe80::1%eth0"), true);
    assert.equal(cidrContains(r("::1", 128), "::1"), true);
    assert.equal(cidrContains(r("::", 0), "1.2.3.4"), true);
  });

  it("matches nothing for a bad range or address", () => {
    assert.equal(cidrContains(r("10.0.0.0", 33), "10.0.0.1"), false);
    assert.equal(cidrContains(r("nope", 8), "10.0.0.1"), false);
    assert.equal(cidrContains(r("10.0.0.0", 8), "not-an-ip"), false);
  });

  it("checkCidrRange says what is wrong", () => {
    assert.equal(checkCidrRange(r("10.0.0.0", 8)), undefined);
    assert.equal(checkCidrRange(r("2001:db8::", 128)), undefined);
    assert.equal(checkCidrRange(r("10.0.0.0", 33)), "prefix length must be 0-32 for IPv4, got 33");
    assert.equal(checkCidrRange(r("::", 129)), "prefix length must be 0-128 for IPv6, got 129");
    assert.equal(checkCidrRange(r("10.0.0", 8)), 'expected an IPv4 or IPv6 address, got "10.0.0"');
  });
});
