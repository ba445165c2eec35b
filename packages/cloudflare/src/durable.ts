/** @module Hono WebSocket routes that run in Cloudflare Durable Objects with hibernation, from an unchanged Worker app. */

import { createWebSocketObjects } from './websocket-objects.ts'

export * from '@honokit/ws-core'
export type { CloudflareWebSocketLike, DurableObjectStateLike } from './cloudflare-like.ts'
export type { DurableUpgradeOptions, DurableWebSocket } from './durable-object.ts'
export type { DurableObjectStorageLike, ObjectRoom } from './room-of.ts'
export { roomOf } from './room-of.ts'
export type { Room, RoomConnection } from './room-requests.ts'
export type {
  ObjectRouteOptions,
  WebSocketObjectClass,
  WebSocketObjectInstance,
  WebSocketObjects,
  WebSocketObjectsOptions,
} from './websocket-objects.ts'
export { createWebSocketObjects } from './websocket-objects.ts'

const defaults = createWebSocketObjects()

/**
 * `upgradeWebSocket` whose handlers run in a Durable Object (bound as `WEBSOCKETS`), with hibernation: one object
 * per route path, or per `room` name. Plain HTTP routes stay in the Worker.
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * export default app
 * export class WebSockets extends WebSocketObject {}
 */
export const upgradeWebSocket = defaults.upgradeWebSocket

/**
 * The Durable Object class the routes of `upgradeWebSocket` run in: export a subclass from the Worker's main module
 * and bind it as `WEBSOCKETS`. It wires `fetch`, `webSocketMessage`, `webSocketClose` and `webSocketError`.
 * @example
 * export class WebSockets extends WebSocketObject {}
 */
export const WebSocketObject = defaults.WebSocketObject

/**
 * A room (Durable Object) of `upgradeWebSocket`, from a plain HTTP route of the Worker: `publish`, `connections`,
 * `stats` and `shutdown`. The name is the route's `room` (by default its path, e.g. `/ws`).
 * @example
 * app.post('/announce/:room', async (c) => {
 *   await room(c, c.req.param('room')).publish('news', await c.req.text())
 *   return c.text('sent')
 * })
 */
export const room = defaults.room
