/** The parts of Deno's server-side `WebSocket` this package uses and exposes as `ws.raw`, typed structurally. */
export interface DenoWebSocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  binaryType: string
  send(data: string | Uint8Array): void
  close(code?: number, reason?: string): void
  addEventListener(type: string, listener: (event: any) => void): void
}

/** Deno's own options of `Deno.upgradeWebSocket` that this adapter passes through. */
export interface DenoNativeUpgradeOptions {
  /**
   * Seconds without a frame before Deno pings; a peer that does not answer is closed with 1001 at this limit.
   * Deno's default is 30 (pings every 15 s); 0 disables pings.
   */
  idleTimeout?: number
}

/** The `Deno` global, as far as this package uses it. */
export interface DenoLike {
  upgradeWebSocket(
    request: Request,
    options?: DenoNativeUpgradeOptions
  ): { response: Response; socket: DenoWebSocketLike }
}
