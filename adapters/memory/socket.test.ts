import { runSocketContract } from "../../core/net/socket.contract.ts";
import { MemoryRuntime } from "./runtime.ts";

runSocketContract("memory", () => new MemoryRuntime(), {}, { drainBeforeEmpty: true });
