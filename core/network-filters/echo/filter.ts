import type { EchoConfig } from "../../config/types.ts";
import type { Connection } from "../../net/connection.ts";
import { FilterStatus, type ReadFilter } from "../../net/filter.ts";
import type { FilterFactoryContext, FilterInstaller, NetworkFilterFactory } from "../types.ts";
import { echoConfigParser } from "./config.ts";

/**
 * Writes every inbound byte back (MOSN's "direct bytes" style terminal filter). A peer that
 * does not read is not buffered for without bound: reading pauses while our writes are queued.
 */
class EchoFilter implements ReadFilter {
  constructor(private readonly conn: Connection) {
    conn.addConnectionCallbacks({
      onAboveWriteBufferHighWatermark: () => conn.readDisable(true),
      onBelowWriteBufferLowWatermark: () => conn.readDisable(false),
    });
  }

  onData(data: Uint8Array, endStream: boolean): FilterStatus {
    if (data.length > 0) this.conn.write(data);
    if (endStream) this.conn.end();
    return FilterStatus.Stop;
  }
}

export const echoFilterFactory: NetworkFilterFactory<EchoConfig> = {
  type: "echo",
  configParser: echoConfigParser,
  create(_config: EchoConfig, _ctx: FilterFactoryContext): FilterInstaller {
    return (conn) => conn.addReadFilter(new EchoFilter(conn));
  },
};
