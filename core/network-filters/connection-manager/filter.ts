import type { ConnectionManagerConfig } from "../../config/types.ts";
import type { FilterFactoryContext, FilterInstaller, NetworkFilterFactory } from "../types.ts";
import { connectionManagerConfigParser } from "./config.ts";

/**
 * The `connection_manager` network filter only carries routes: its router config is defined
 * when the config loads and used by the chain's `proxy` filter. Like MOSN's, it puts nothing on
 * the connection (pkg/filter/network/connectionmanager returns no filter factory).
 */
export const connectionManagerFilterFactory: NetworkFilterFactory<ConnectionManagerConfig> = {
  type: "connection_manager",
  configParser: connectionManagerConfigParser,
  create(_config: ConnectionManagerConfig, _ctx: FilterFactoryContext): FilterInstaller {
    return installNothing;
  },
};

function installNothing(): void {}
