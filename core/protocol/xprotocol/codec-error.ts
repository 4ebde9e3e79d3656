/**
 * A frame the codec cannot accept. From `frameLength`, the bytes cannot start a frame: the byte
 * stream cannot be resynchronised and the connection is closed. From `decode`, the frame's
 * length was known and only it is lost: `replyable` says whether it is a two-way request whose
 * fixed header was sound enough to answer with the protocol's error response (a bad body: the
 * stream is answered, the connection goes on); a frame that is not (a oneway request, which
 * must never get a response) is dropped.
 */
export class XCodecError extends Error {
  constructor(message: string, readonly replyable: boolean) {
    super(message);
    this.name = "XCodecError";
  }
}
