import type { Connection } from "../../net/connection.ts";
import {
  chunkHead,
  CRLF,
  encodeLastChunkWithTrailers,
  encodeResponseHead,
  LAST_CHUNK,
} from "../../protocol/http1/encoder.ts";
import { statusText } from "../../protocol/http1/status-text.ts";
import { HeaderMap } from "../header-map.ts";
import type { ResetReason, ServerStream, StreamCallbacks } from "../types.ts";

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/** What the response side needs to know of the request it answers. */
export interface RequestFacts {
  readonly method: string;
  readonly minorVersion: 0 | 1;
  /** The client asked to close after this exchange (Connection: close, or 1.0 without keep-alive). */
  readonly close: boolean;
  /** The Upgrade the client asked for, if any (a 101 turns the connection into a tunnel). */
  readonly upgrade: string | undefined;
}

/** What the stream tells its codec. */
export interface ServerStreamOwner {
  readonly connection: Connection;
  /** Whether the whole request has been read (a response may start before it has). */
  requestComplete(stream: Http1ServerStream): boolean;
  /** A graceful stop: this response is the connection's last. */
  readonly draining: boolean;
  /** The response is complete; `close` says the connection cannot carry another exchange. */
  onResponseComplete(stream: Http1ServerStream, close: boolean): void;
  /** A 101 or a 2xx to CONNECT went out: both directions are raw bytes from now on. */
  onTunnel(stream: Http1ServerStream): void;
  onStreamReset(stream: Http1ServerStream, reason: ResetReason): void;
}

/**
 * One request's response side on an HTTP/1 connection: encodes what the proxy sends back with
 * the framing the client can read. The response keeps a Content-Length it has; otherwise it is
 * chunked for an HTTP/1.1 client and close-delimited for an HTTP/1.0 one (RFC 9112 §6, §7).
 */
export class Http1ServerStream implements ServerStream {
  callbacks: StreamCallbacks | undefined;
  responseStarted = false;
  responseDone = false;
  readonly oneway = false;
  readonly requestTimeoutMs = 0;
  /** Reads this stream holds disabled on the connection, given back when it ends. */
  readDisables = 0;
  private chunked = false;
  private noBody = false;
  private closeAfter = false;
  private tunnel = false;

  constructor(readonly id: number, readonly request: RequestFacts, private readonly owner: ServerStreamOwner) {}

  setCallbacks(callbacks: StreamCallbacks): void {
    this.callbacks = callbacks;
  }

  sendHeaders(headers: HeaderMap, end: boolean): void {
    if (this.responseDone || this.owner.connection.closing) return;
    const status = Number(headers.get(":status") ?? 200);
    const req = this.request;
    if (status >= 100 && status < 200 && status !== 101) {
      // Informational (103 Early Hints): written as is; the final response follows.
      this.owner.connection.write(encodeResponseHead(status, statusText(status), headers, req.minorVersion));
      return;
    }
    this.responseStarted = true;
    const upgrading = status === 101 && req.upgrade !== undefined && headers.has("upgrade");
    this.tunnel = upgrading || (req.method === "CONNECT" && status >= 200 && status < 300);
    this.noBody = this.tunnel || req.method === "HEAD" || status === 204 || status === 304 || status === 101;
    // A response that starts before the request is read (a local reply to an upload) ends the
    // connection: the unread rest of the request cannot be skipped safely.
    this.closeAfter = req.close || !this.owner.requestComplete(this) || this.owner.draining;
    if (upgrading) {
      headers.set("connection", "upgrade");
    } else if (!this.noBody || req.method === "HEAD") {
      if (headers.has("content-length")) {
        // The length travels as is: the upstream codec validated it, a filter that changes the body fixes it.
      } else if (end) {
        if (req.method !== "HEAD") headers.set("content-length", "0");
      } else if (req.minorVersion === 1) {
        headers.set("transfer-encoding", "chunked");
        this.chunked = true;
      } else {
        this.closeAfter = true; // an HTTP/1.0 client reads to the close
      }
    }
    if (!upgrading) {
      if (this.closeAfter) headers.set("connection", "close");
      else if (req.minorVersion === 0) headers.set("connection", "keep-alive");
    }
    this.owner.connection.write(encodeResponseHead(status, statusText(status), headers, req.minorVersion));
    if (this.tunnel) {
      this.owner.onTunnel(this);
      return;
    }
    if (end) this.complete();
  }

  sendData(chunk: Uint8Array, end: boolean): void {
    if (this.responseDone || this.owner.connection.closing) return;
    const conn = this.owner.connection;
    if (this.tunnel) {
      if (chunk.length > 0) conn.write(chunk);
      if (end) conn.end();
      return;
    }
    if (this.noBody) {
      if (end) this.complete();
      return;
    }
    if (this.chunked) {
      if (chunk.length > 0) {
        conn.writev(end ? [chunkHead(chunk.length), chunk, CRLF, LAST_CHUNK] : [chunkHead(chunk.length), chunk, CRLF]);
      } else if (end) conn.write(LAST_CHUNK);
    } else if (chunk.length > 0) {
      conn.write(chunk);
    }
    if (end) this.complete();
  }

  sendTrailers(trailers: HeaderMap): void {
    if (this.responseDone || this.owner.connection.closing) return;
    // Only a chunked body can carry trailers on HTTP/1; elsewhere they are dropped.
    if (this.chunked) this.owner.connection.write(encodeLastChunkWithTrailers(trailers));
    this.complete();
  }

  sendLocalReply(status: number, body: string, extra?: HeaderMap): void {
    if (this.responseStarted) {
      this.reset("local_reset");
      return;
    }
    const bytes = encoder.encode(body);
    const headers = extra ?? new HeaderMap();
    headers.set(":status", String(status));
    if (bytes.length > 0 && !headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
    headers.set("content-length", String(bytes.length));
    this.sendHeaders(headers, bytes.length === 0);
    if (bytes.length > 0) this.sendData(this.request.method === "HEAD" ? EMPTY : bytes, true);
  }

  reset(reason: ResetReason): void {
    if (this.responseDone) return;
    this.responseDone = true;
    this.owner.onStreamReset(this, reason);
  }

  readDisable(disable: boolean): void {
    if (disable) {
      this.readDisables++;
      this.owner.connection.readDisable(true);
    } else if (this.readDisables > 0) {
      this.readDisables--;
      this.owner.connection.readDisable(false);
    }
  }

  /** Gives back every read disable this stream still holds. */
  releaseReadDisables(): void {
    while (this.readDisables > 0) this.readDisable(false);
  }

  private complete(): void {
    if (this.responseDone) return;
    this.responseDone = true;
    this.owner.onResponseComplete(this, this.closeAfter);
  }
}
