import { ByteBuffer } from "../../net/byte-buffer.ts";
import type { Connection } from "../../net/connection.ts";
import { FilterStatus, type ReadFilter } from "../../net/filter.ts";
import type { TimerHandle } from "../../net/runtime.ts";
import type { ProxyContext } from "../../proxy/context.ts";
import { Downstream } from "../../proxy/downstream.ts";
import type { Protocol } from "../../stream/protocol.ts";
import type { MessageListener, ServerCodec, ServerCodecCallbacks, ServerStream } from "../../stream/types.ts";

/** Which protocols a proxy listener speaks, as its config resolved them. */
export interface ProxyProtocols {
  /** One protocol, or the candidates an `Auto` listener detects among, in order. */
  readonly downstream: readonly Protocol[];
  /** undefined: the same as the downstream protocol. */
  readonly upstream: Protocol | undefined;
  /** How long an `Auto` listener waits for enough bytes to tell the protocol. */
  readonly detectTimeoutMs: number;
}

/**
 * The `proxy` network filter on one downstream connection (MOSN's proxy.OnData): picks the
 * protocol (configured, or detected from the first bytes), builds its server codec, and feeds it
 * every chunk through one ByteBuffer. Each request the codec decodes becomes a Downstream.
 */
export class ProxySession implements ReadFilter, ServerCodecCallbacks {
  private readonly buf = new ByteBuffer();
  private codec: ServerCodec | undefined;
  private upstream: Protocol | undefined;
  private detectTimer: TimerHandle | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly connection: Connection,
    private readonly protocols: ProxyProtocols,
  ) {
    connection.addConnectionCallbacks({ onClose: () => this.clearDetectTimer() });
  }

  onNewConnection(): FilterStatus {
    if (this.protocols.downstream.length === 1) this.start(this.protocols.downstream[0]!);
    else this.detectTimer = this.ctx.runtime.setTimer(this.protocols.detectTimeoutMs, () => this.onDetectTimeout());
    return FilterStatus.Continue;
  }

  onData(data: Uint8Array, endStream: boolean): FilterStatus {
    if (data.length > 0) this.buf.append(data);
    if (!this.codec && !this.detect(endStream)) return FilterStatus.Stop;
    const codec = this.codec!;
    codec.dispatch(this.buf);
    if (endStream) codec.endOfInput();
    return FilterStatus.Stop;
  }

  onDrain(): void {
    // Still detecting the protocol: no request has started.
    if (!this.codec) this.connection.close("now");
    else this.codec.drain();
  }

  newStream(stream: ServerStream): MessageListener {
    return new Downstream(this.ctx, stream, this.connection, this.upstream!);
  }

  /** Tries each candidate on the bytes so far; true once one says yes. */
  private detect(endStream: boolean): boolean {
    let waiting = false;
    for (const p of this.protocols.downstream) {
      const d = p.detect(this.buf);
      if (d === "yes") {
        this.clearDetectTimer();
        this.start(p);
        return true;
      }
      if (d === "more") waiting = true;
    }
    if (!waiting || endStream) {
      this.ctx.logger.warn(
        `${this.ctx.name} [${this.connection.id}] unknown protocol from ${this.connection.remote.host}, closing`,
      );
      this.connection.close("now");
    }
    return false;
  }

  private start(protocol: Protocol): void {
    this.upstream = this.protocols.upstream ?? protocol;
    this.codec = protocol.createServerCodec(this.connection, this, this.ctx.codecEnv);
  }

  private onDetectTimeout(): void {
    this.detectTimer = undefined;
    if (this.codec || this.connection.closing) return;
    this.ctx.logger.warn(
      `${this.ctx.name} [${this.connection.id}] no protocol detected within ${this.protocols.detectTimeoutMs}ms, closing`,
    );
    this.connection.close("now");
  }

  private clearDetectTimer(): void {
    if (this.detectTimer !== undefined) this.ctx.runtime.clearTimer(this.detectTimer);
    this.detectTimer = undefined;
  }
}
