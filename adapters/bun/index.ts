export { BunRuntime } from "./runtime.ts";
export { BunSocket } from "./socket.ts";
