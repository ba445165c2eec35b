/** @module Hono WebSockets on Deno (`Deno.upgradeWebSocket`) with the @honokit/ws guarantees. */

export * from '@honokit/ws-core'
export type { DenoLike, DenoNativeUpgradeOptions, DenoWebSocketLike } from './deno-like.ts'
export type {
  DenoUpgradeOptions,
  DenoUpgradeOptions as UpgradeWebSocketOptions,
  DenoWebSocket,
} from './websocket.ts'
export { createDenoWebSocket, upgradeWebSocket } from './websocket.ts'
