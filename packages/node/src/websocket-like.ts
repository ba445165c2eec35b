import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

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

/**
 * A `ws` `WebSocketServer` created with `{ noServer: true }`, as given to `serve({ websocket: { server } })` (the
 * parts this package uses, typed structurally).
 */
export interface NodeWebSocketServerInput {
  options: {
    noServer?: boolean
    maxPayload?: number
    perMessageDeflate?: boolean | object
    handleProtocols?: (protocols: Set<string>, request: IncomingMessage) => string | false
  }
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callback: (client: any, request: IncomingMessage) => void
  ): void
  on(event: 'headers', listener: (headers: string[], request: IncomingMessage) => void): unknown
  emit(event: 'connection', ...args: any[]): boolean
  close(callback?: (error?: Error) => void): void
}
