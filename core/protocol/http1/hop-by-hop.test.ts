import { assert, describe, it } from "../../../test/support/test-api.ts";
import { HeaderMap } from "../../stream/header-map.ts";
import { stripHopByHop } from "./hop-by-hop.ts";

function map(...pairs: [string, string][]): HeaderMap {
  const h = new HeaderMap();
  for (const [n, v] of pairs) h.add(n, v);
  return h;
}

function names(h: HeaderMap): string[] {
  const out: string[] = [];
  h.forEach((n) => out.push(n));
  return out;
}

describe("stripHopByHop", () => {
  it("removes Connection, the fields it names, and the fixed hop-by-hop set", () => {
    const h = map(
      ["Host", "a"],
      ["Connection", "close, X-Secret"],
      ["Connection", "Keep-Alive"],
      ["X-Secret", "1"],
      ["Keep-Alive", "timeout=5"],
      ["TE", "trailers"],
      ["Transfer-Encoding", "chunked"],
      ["Proxy-Authorization", "Basic xyz"],
      ["Proxy-Connection", "keep-alive"],
      ["X-Kept", "2"],
    );
    const options = stripHopByHop(h);
    assert.deepEqual(options, { close: true, keepAlive: true, upgrade: undefined });
    assert.deepEqual(names(h), ["host", "x-kept"]);
  });

  it("keeps Upgrade only when Connection names it", () => {
    const ws = map(["Connection", "Upgrade"], ["Upgrade", "websocket"], ["Sec-WebSocket-Key", "k"]);
    assert.equal(stripHopByHop(ws).upgrade, "websocket");
    assert.deepEqual(names(ws), ["upgrade", "sec-websocket-key"]);
    const stray = map(["Upgrade", "h2c"]);
    assert.equal(stripHopByHop(stray).upgrade, undefined);
    assert.equal(stray.size, 0);
  });
});
