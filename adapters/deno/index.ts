export { DenoRuntime } from "./runtime.ts";
export { DenoSocket } from "./socket.ts";
