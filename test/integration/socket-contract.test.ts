import { runSocketContract } from "../../core/net/socket.contract.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

const name = runtimeName();
runSocketContract(name, nativeRuntime, {
  noRst: name === "deno" ? "Deno's API has no SO_LINGER and its close() sends FIN (shutdown, then close)" : undefined,
});
