// Only what this adapter touches of Bun's socket API (see bun-types' bun.d.ts), so the adapter
// reads on its own and the shapes it relies on are written down in one place.
export interface BunTcpSocket<T> {
  data: T;
  readonly localAddress?: string;
  readonly localPort?: number;
  readonly remoteAddress: string;
  readonly remotePort?: number;
  write(data: Uint8Array): number;
  shutdown(halfClose?: boolean): void;
  end(): void;
  terminate(): void;
  pause(): void;
  resume(): void;
  setNoDelay(noDelay?: boolean): boolean;
}

export interface BunSocketHandlers<T> {
  binaryType?: "uint8array";
  open?(s: BunTcpSocket<T>): void;
  data?(s: BunTcpSocket<T>, data: Uint8Array): void;
  drain?(s: BunTcpSocket<T>): void;
  end?(s: BunTcpSocket<T>): void;
  close?(s: BunTcpSocket<T>, err?: Error): void;
  error?(s: BunTcpSocket<T>, err: Error): void;
  connectError?(s: BunTcpSocket<T>, err: Error): void;
}

export interface BunListener {
  readonly hostname: string;
  readonly port: number;
  stop(closeActiveConnections?: boolean): void;
}

export interface BunNamespace {
  listen<T>(
    opts: {
      hostname: string;
      port: number;
      reusePort?: boolean;
      allowHalfOpen?: boolean;
      socket: BunSocketHandlers<T>;
    },
  ): BunListener;
  connect<T>(
    opts: { hostname: string; port: number; allowHalfOpen?: boolean; data?: T; socket: BunSocketHandlers<T> },
  ): Promise<BunTcpSocket<T>>;
}

export function bun(): BunNamespace {
  return (globalThis as unknown as { Bun: BunNamespace }).Bun;
}
