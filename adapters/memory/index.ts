export { MemoryRuntime } from "./runtime.ts";
export { ManualClock } from "./clock.ts";
export { MemorySocket, memorySocketPair } from "./socket.ts";
