/** @module Hono WebSockets on Cloudflare Workers and in Durable Objects (hibernation API) with the @honokit/ws guarantees. */

export * from '@honokit/ws-core'
export { MAX_ATTACHMENT_BYTES } from './attachment.ts'
export type { CloudflareWebSocketLike, DurableObjectStateLike } from './cloudflare-like.ts'
export type { DurableUpgradeOptions, DurableWebSocket, DurableWebSocketOptions } from './durable-object.ts'
export { createDurableWebSocket } from './durable-object.ts'
export type { CloudflareUpgradeOptions, CloudflareWebSocket } from './websocket.ts'
export { createCloudflareWebSocket, upgradeWebSocket } from './websocket.ts'
