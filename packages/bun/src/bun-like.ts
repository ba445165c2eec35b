/** The parts of Bun's `ServerWebSocket` this package uses and exposes as `ws.raw`, typed structurally. */
export interface BunServerWebSocketLike {
  readonly readyState: number
  /** Bun's own per-socket slot; this package keeps its upgrade token there only until `open`, so writing to it is safe. */
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
  // `Headers`, not the DOM lib's `HeadersInit`: a `bun init` project has no DOM lib, and the name would not resolve.
  upgrade(request: Request, options?: { headers?: Headers; data?: unknown }): boolean
  publish(topic: string, data: string | Uint8Array): number
}
