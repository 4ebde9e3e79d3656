export { mirrorFilterFactory } from "./filter.ts";
export { type MirrorConfig, parseMirrorConfig } from "./config.ts";
export { MirrorRequest } from "./mirror-request.ts";
