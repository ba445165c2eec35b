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
   * In SECONDS, not milliseconds (Deno's own unit, kept so `hono/deno` options move over unchanged): Deno pings at
   * half of it and closes a peer that has not answered at it. Prefer `heartbeat: { interval, timeout }` in
   * milliseconds, as on every runtime; a value above 600 logs a warning. 0 disables Deno's pings.
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
