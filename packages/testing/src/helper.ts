import {
  acceptedResponse,
  createWebSocketHub,
  defineWebSocketHelper,
  helperInstance,
  notWiredError,
  PendingUpgrades,
  type UpgradeWebSocket,
  type WSHelperInstance,
  type WSHubOptions,
  type WSTransport,
  type WSUpgradeInfo,
  type WSUpgradeOptions,
} from '@honokit/ws-core/adapter'
import type { MemorySocket } from './pair.ts'

/** A helper instance for tests: `upgradeWebSocket` over in-memory sockets, plus the instance API. */
export interface TestWebSocketHelper extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<MemorySocket, WSUpgradeOptions>
}

/** How core drives the server's end of an in-memory pair: every method a runtime socket can have. */
const transport: WSTransport<MemorySocket> = {
  send: (socket, data) => socket.send(data),
  close: (socket, code, reason) => socket.close(code, reason),
  readyState: (socket) => socket.readyState,
  ping: (socket) => socket.ping(),
  terminate: (socket) => socket.terminate(),
  bufferedAmount: (socket) => socket.bufferedAmount,
}

// Upgrades accepted by a route, keyed by the Request the test client handed to `app.fetch`: the client completes
// them once the app's final answer is known (middleware after the route may still replace it).
const requests = new WeakSet<Request>()
const pending = new PendingUpgrades<Request, WSUpgradeInfo<MemorySocket>>()

/** Marks `request` as sent by the test client, so a route may hold its upgrade. */
export function markTestRequest(request: Request): void {
  requests.add(request)
}

/** The upgrade a route accepted for `request`, once. */
export function takeUpgrade(request: Request): WSUpgradeInfo<MemorySocket> | undefined {
  return pending.take(request)
}

/**
 * Creates a helper instance for tests with its own settings, connections and topics: the same core pipeline as
 * every adapter (handshake, origins, capacity, subprotocols, limits, lifecycle and error policy, pub/sub, shutdown),
 * over in-memory sockets. Open its routes with `connect(app, path)`.
 * @example
 * const { upgradeWebSocket, publish } = createTestWebSocket({ maxPayload: 1024 })
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * const client = await connect(app, '/ws')
 */
export function createTestWebSocket(options: WSHubOptions = {}): TestWebSocketHelper {
  const hub = createWebSocketHub(options, { transport })
  const upgradeWebSocket = defineWebSocketHelper<MemorySocket, WSUpgradeOptions>(
    (c, _events, _options, upgrade) => {
      const request = c.req.raw
      if (!requests.has(request))
        throw notWiredError(
          '@honokit/ws-testing',
          'it only completes upgrades sent by its test client: open the route with `connect(app, path)` ' +
            '(or `webSocketFactory(app)` for hc), not through a real server or `app.request()`.'
        )
      pending.hold(request, upgrade)
      return acceptedResponse(c)
    },
    hub
  )
  return { upgradeWebSocket, ...helperInstance(hub) }
}
