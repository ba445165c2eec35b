/** The parts of a `ws` `WebSocket` this package uses and exposes as `ws.raw`, typed structurally. */
export interface NodeWebSocketLike {
  readonly readyState: number
  readonly protocol: string
  readonly bufferedAmount: number
  binaryType: string
  send(data: string | Uint8Array, options: { compress?: boolean; binary?: boolean }): void
  close(code?: number, reason?: string): void
  terminate(): void
  ping(data?: unknown): void
  on(event: string, listener: (...args: any[]) => void): unknown
}

/** The parts of the `ws` `WebSocketServer` (in `noServer` mode) exposed as `wss`, typed structurally. */
export interface NodeWebSocketServerLike {
  readonly clients: Set<NodeWebSocketLike>
  on(event: string, listener: (...args: any[]) => void): unknown
  close(callback?: (error?: Error) => void): void
}
