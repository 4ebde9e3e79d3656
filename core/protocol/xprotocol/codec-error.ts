/**
 * A frame the codec cannot accept. `replyable` says whether the frame's fixed header was sound
 * enough to answer it with the protocol's error response (a bad body: the stream is answered,
 * the connection goes on); otherwise the byte stream cannot be resynchronised and the
 * connection is closed.
 */
export class XCodecError extends Error {
  constructor(message: string, readonly replyable: boolean) {
    super(message);
    this.name = "XCodecError";
  }
}
