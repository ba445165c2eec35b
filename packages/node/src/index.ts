/** @module Hono WebSockets on Node.js (`ws` + `@hono/node-server`) with the @honokit/ws guarantees. */

export type {
  UpgradeWebSocket,
  WSCloseEvent,
  WSContext,
  WSData,
  WSErrorEvent,
  WSEvents,
  WSMessageEvent,
  WSMessageReceive,
  WSReadyState,
} from '@honokit/ws-core'
export type {
  FetchApp,
  NodeUpgradeOptions,
  NodeWebSocket,
  NodeWebSocketInit,
  UpgradeEmitter,
} from './websocket.ts'
export { createNodeWebSocket } from './websocket.ts'
export type { NodeWebSocketLike, NodeWebSocketServerLike } from './websocket-like.ts'
