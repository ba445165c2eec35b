/** @module Hono WebSockets on Bun (`Bun.serve`) with the @honokit/ws guarantees. */

export * from '@honokit/ws-core'
export type { BunServerLike, BunServerWebSocketLike } from './bun-like.ts'
export type { BunUpgradeOptions, BunWebSocket, BunWebSocketData, BunWebSocketHandler } from './websocket.ts'
export { createBunWebSocket, upgradeWebSocket, websocket } from './websocket.ts'
