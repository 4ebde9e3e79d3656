import { assert, describe, it } from "../support/test-api.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";
import { SocketError } from "../../core/net/socket-error.ts";

describe(`listen errors: ${runtimeName()}`, () => {
  it("an address this host does not have rejects with address_unavailable", async () => {
    const rt = await nativeRuntime();
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
    await assert.rejects(rt.listen({ host: "192.0.2.1", port: 0 }, (s) => s.destroy()), (err: unknown) => {
      assert.ok(err instanceof SocketError, `rejected with ${err}`);
      assert.equal(err.kind, "address_unavailable");
      assert.equal(err.errno, "EADDRNOTAVAIL");
      assert.match(err.message, /^listen 192\.0\.2\.1:0: address not available \(EADDRNOTAVAIL\)$/);
      return true;
    });
  });
});
