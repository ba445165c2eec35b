/** The parts of Bun's `ServerWebSocket` this package uses and exposes as `ws.raw`, typed structurally. */
export interface BunServerWebSocketLike {
  readonly readyState: number
  /** Bun's own per-socket slot; this package keeps nothing there, so writing to it is safe. */
  data: unknown
  send(data: string | Uint8Array, compress?: boolean): number
  close(code?: number, reason?: string): void
  getBufferedAmount?(): number
}

/** The parts of Bun's `Server` this package uses: the second argument of `fetch`. */
export interface BunServerLike {
  upgrade(request: Request, options?: { headers?: HeadersInit; data?: unknown }): boolean
}
