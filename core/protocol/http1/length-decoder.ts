import type { ByteBuffer } from "../../net/byte-buffer.ts";
import { BODY_DONE, BODY_MORE, type BodyProgress, type BodySink } from "./body-sink.ts";

/** A Content-Length body: hands over exactly `length` bytes as views, never copying them. */
export class LengthDecoder {
  private remaining: number;
  private readonly views: Uint8Array[] = [];

  constructor(length: number) {
    this.remaining = length;
  }

  decode(buf: ByteBuffer, sink: BodySink): BodyProgress {
    const n = Math.min(buf.length, this.remaining);
    if (n > 0) {
      buf.takeChunks(n, this.views);
      this.remaining -= n;
      for (let i = 0; i < this.views.length; i++) sink.onBodyData(this.views[i]!);
      this.views.length = 0;
    }
    return this.remaining === 0 ? BODY_DONE : BODY_MORE;
  }
}
