export { NodeRuntime } from "./runtime.ts";
export { NodeSocket } from "./socket.ts";
