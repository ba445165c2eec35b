/** @module Hono WebSockets on Node.js (`ws` + `@hono/node-server`) with the @honokit/ws guarantees. */

export * from '@honokit/ws-core'
export type { UpgradeEmitter } from './dispatch.ts'
export type { NodeServeOptions } from './serve.ts'
export { createAdaptorServer, serve } from './serve.ts'
export type { FetchApp, NodeUpgradeOptions, NodeWebSocket, NodeWebSocketInit } from './websocket.ts'
export { createNodeWebSocket, upgradeWebSocket } from './websocket.ts'
export type {
  NodeWebSocketLike,
  NodeWebSocketServerInput,
  NodeWebSocketServerLike,
} from './websocket-like.ts'
