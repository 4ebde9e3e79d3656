import { runSocketContract } from "../../core/net/socket.contract.ts";
import { nativeRuntime, runtimeName } from "../support/runtime.ts";

runSocketContract(runtimeName(), nativeRuntime);
