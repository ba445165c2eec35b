/** The parts of Bun's `ServerWebSocket` this package uses and exposes as `ws.raw`, typed structurally. */
export interface BunServerWebSocketLike {
  readonly readyState: number
  /** Bun's own per-socket slot; this package keeps nothing there, so writing to it is safe. */
  data: unknown
  send(data: string | Uint8Array, compress?: boolean): number
  close(code?: number, reason?: string): void
  terminate(): void
  ping(data?: string | Uint8Array): number
  getBufferedAmount(): number
  subscribe(topic: string): void
  unsubscribe(topic: string): void
  publish(topic: string, data: string | Uint8Array): number
}

/** The parts of Bun's `Server` this package uses: the second argument of `fetch`. */
export interface BunServerLike {
  upgrade(request: Request, options?: { headers?: HeadersInit; data?: unknown }): boolean
  publish(topic: string, data: string | Uint8Array): number
}
