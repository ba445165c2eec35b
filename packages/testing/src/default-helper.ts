import { createTestWebSocket, type TestWebSocketHelper } from './helper.ts'

/**
 * `upgradeWebSocket` of a default test helper instance: the same name every adapter exports, so a test can put this
 * module in place of the adapter's (`vi.mock`, `mock.module`, an import map) and open the app's routes with `connect`.
 * @example
 * vi.mock('@honokit/ws-node', async () => await import('@honokit/ws-testing'))
 */
export const upgradeWebSocket: TestWebSocketHelper['upgradeWebSocket'] =
  createTestWebSocket().upgradeWebSocket
