// Only what this adapter touches of the Deno namespace, so it typechecks without Deno's lib.
export interface DenoNetAddr {
  transport: string;
  hostname: string;
  port: number;
}

export interface DenoConn {
  readonly localAddr: DenoNetAddr;
  readonly remoteAddr: DenoNetAddr;
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  setNoDelay(noDelay?: boolean): void;
}

export interface DenoListener {
  readonly addr: DenoNetAddr;
  accept(): Promise<DenoConn>;
  close(): void;
}

export interface DenoNamespace {
  listen(opts: { hostname: string; port: number; transport?: "tcp"; reusePort?: boolean }): DenoListener;
  connect(opts: { hostname: string; port: number; transport?: "tcp"; signal?: AbortSignal }): Promise<DenoConn>;
}

export function deno(): DenoNamespace {
  return (globalThis as unknown as { Deno: DenoNamespace }).Deno;
}
