/**
 * Why an HTTP/1 message was refused, with the status a server answers it with before closing:
 * 400 malformed, 414 request line too long, 431 head too large, 501 transfer coding not
 * implemented, 505 version not supported. A response from upstream that fails the same checks
 * becomes the proxy's 502.
 */
export class Http1ParseError {
  constructor(
    readonly status: 400 | 414 | 431 | 501 | 505,
    readonly reason: string,
  ) {}
}
