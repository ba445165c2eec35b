/** @module Test Hono WebSocket routes in-process: the honokit core pipeline over in-memory sockets, in any test runner. */

export * from '@honokit/ws-core'
export type { TestClose, TestMessage, TestRefusal, WaitOptions } from './client.ts'
export { connect, refusal, TestClient, TestTimeoutError } from './client.ts'
export { upgradeWebSocket } from './default-helper.ts'
export type { TestWebSocketHelper } from './helper.ts'
export { createTestWebSocket } from './helper.ts'
export type { MemorySocketEvents } from './pair.ts'
export { MemorySocket } from './pair.ts'
export type { ConnectOptions, FetchApp } from './upgrade.ts'
export { WebSocketRefusedError } from './upgrade.ts'
export { InProcessWebSocket, webSocketFactory } from './web-socket.ts'
