import {
  createConnection,
  createWebSocketHub,
  DEFAULT_LIMITS,
  defineWebSocketHelper,
  handshakeHeaders,
  helperInstance,
  TOO_BIG_CLOSE_CODE,
  type UpgradeWebSocket,
  type WSConnection,
  type WSEvents,
  type WSHelperInstance,
  type WSHubOptions,
  type WSReadyState,
  type WSUpgradeInfo,
  type WSUpgradeOptions,
} from '@honokit/ws-core'
import type { Context } from 'hono'
import type { BunServerLike, BunServerWebSocketLike } from './bun-like.ts'

/** Options of `upgradeWebSocket` on Bun. */
export interface BunUpgradeOptions extends WSUpgradeOptions {}

/**
 * What this package passes to `server.upgrade()` as `data` (Bun's `ws.data` until `open`): bookkeeping under a
 * symbol, nothing for the application, whose per-connection data is `ws.data` on the `WSContext`.
 */
export interface BunWebSocketData {
  readonly [key: symbol]: unknown
}

/**
 * The `websocket` handler object for `Bun.serve`, with the native settings this package chose. The type argument is
 * accepted for `hono/bun`'s `BunWebSocketHandler<BunWebSocketData>` and has no effect.
 */
export interface BunWebSocketHandler<_Data = BunWebSocketData> {
  open(ws: BunServerWebSocketLike): void
  message(ws: BunServerWebSocketLike, message: string | Uint8Array): void
  close(ws: BunServerWebSocketLike, code: number, reason: string): void
  error(error: Error, ws: BunServerWebSocketLike): void
  drain(ws: BunServerWebSocketLike): void
  pong(ws: BunServerWebSocketLike): void
  maxPayloadLength: number
  idleTimeout: number
  sendPings: boolean
  backpressureLimit: number
  closeOnBackpressureLimit: boolean
}

/**
 * A helper instance for Bun: `upgradeWebSocket` and `websocket` for `Bun.serve`, plus the instance API. `T` is the
 * type of `ws.raw` (Bun's `ServerWebSocket`).
 */
export interface BunWebSocket<T = BunServerWebSocketLike> extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<T, BunUpgradeOptions>
  websocket: BunWebSocketHandler
}

interface Pending {
  events: WSEvents<BunServerWebSocketLike>
  upgrade: WSUpgradeInfo
}

// Bookkeeping stays out of `ws.data` (a user write there must not break the connection): the upgrade hands it over
// under a symbol, `open` moves it into a map and removes it.
const PENDING = Symbol('honokit.ws.pending')
// Bun reports its own oversize close to the server as 1006 with this reason; the client got 1009 (RUNTIME-NOTES B8).
const BUN_TOO_BIG = 'Received too big message'

const NO_SERVER =
  'upgradeWebSocket() from @honokit/ws-bun needs the Bun server, which Bun passes as the second argument of fetch. ' +
  'Serve the app with `export default { fetch: app.fetch, websocket }` or `Bun.serve({ fetch: app.fetch, websocket })`; ' +
  'a wrapper must pass it on: `fetch: (req, server) => app.fetch(req, server)`.'
const NO_HANDLER =
  'Bun.serve was started without the `websocket` handler from @honokit/ws-bun: pass `websocket` next to `fetch`, ' +
  'as in `Bun.serve({ fetch: app.fetch, websocket })` or `export default { fetch: app.fetch, websocket }`.'

function serverOf(c: Context): BunServerLike | undefined {
  const env = c.env as { server?: unknown } | undefined
  const candidate = env && typeof env === 'object' && 'server' in env ? env.server : env
  return typeof (candidate as BunServerLike | undefined)?.upgrade === 'function'
    ? (candidate as BunServerLike)
    : undefined
}

/**
 * Creates a helper instance for Bun with its own limits, connections and topics (publish goes through Bun's native
 * `server.publish`). The optional type argument types `ws.raw`, as `hono/bun`'s `createBunWebSocket<ServerWebSocket>()`
 * did: `ws.raw` is Bun's `ServerWebSocket`.
 * @example
 * const { upgradeWebSocket, websocket, publish } = createBunWebSocket({ maxPayload: 64 * 1024 })
 * Bun.serve({ fetch: app.fetch, websocket })
 */
export function createBunWebSocket<T = BunServerWebSocketLike>(options: WSHubOptions = {}): BunWebSocket<T> {
  const hub = createWebSocketHub(options)
  const connections = new WeakMap<BunServerWebSocketLike, WSConnection<BunServerWebSocketLike>>()
  let server: BunServerLike | undefined
  const rawOf = (ws: { raw?: unknown }) => ws.raw as BunServerWebSocketLike

  hub.useNativePubSub({
    subscribe: (member, topic) => rawOf(member.ws).subscribe(topic),
    unsubscribe: (member, topic) => rawOf(member.ws).unsubscribe(topic),
    // ws.publish excludes the sender and server.publish does not (RUNTIME-NOTES B10).
    publish: (topic, payload, from) => {
      if (from) rawOf(from.ws).publish(topic, payload)
      else server?.publish(topic, payload)
    },
  })

  const upgradeWebSocket = defineWebSocketHelper<BunServerWebSocketLike, BunUpgradeOptions>(
    (c, events, _o, upgrade) => {
      const found = serverOf(c)
      if (!found) throw new Error(NO_SERVER)
      server = found
      const headers = handshakeHeaders(c.res.headers, upgrade.protocol)
      // Without this header Bun echoes the first offered subprotocol; '' makes it send none (RUNTIME-NOTES B6).
      if (!upgrade.protocol) headers.set('Sec-WebSocket-Protocol', '')
      const pending: Pending = { events, upgrade }
      let upgraded: boolean
      try {
        upgraded = found.upgrade(c.req.raw, { headers, data: { [PENDING]: pending } })
      } catch (error) {
        if (/websocket/i.test(String((error as Error)?.message)))
          throw new Error(NO_HANDLER, { cause: error })
        throw error
      }
      if (!upgraded) return new Response('Bad WebSocket handshake: Bun refused the upgrade.', { status: 400 })
      return new Response(null)
    },
    hub
  )

  const maxBuffered = options.maxBufferedAmount ?? DEFAULT_LIMITS.maxBufferedAmount
  const websocket: BunWebSocketHandler = {
    open(ws) {
      const data = ws.data as { [PENDING]?: Pending } | undefined
      const pending = data?.[PENDING]
      if (!pending) return
      // Cleared, not deleted: a delete turns the object kept for the connection's life into a slow dictionary.
      data[PENDING] = undefined
      const conn = createConnection(pending.events, {
        raw: ws,
        readyState: () => ws.readyState as WSReadyState,
        send: (payload, o) => {
          ws.send(payload, o.compress)
        },
        close: (code, reason) => ws.close(code, reason),
        ping: () => ws.ping(),
        terminate: () => ws.terminate(),
        bufferedAmount: () => ws.getBufferedAmount(),
        ...pending.upgrade,
      })
      connections.set(ws, conn)
      conn.open()
    },
    message(ws, message) {
      connections.get(ws)?.message(message)
    },
    close(ws, code, reason) {
      const tooBig = code === 1006 && reason === BUN_TOO_BIG
      connections.get(ws)?.close(tooBig ? TOO_BIG_CLOSE_CODE : code, tooBig ? 'Message too big' : reason)
      connections.delete(ws)
    },
    // Bun passes the error first (RUNTIME-NOTES B8). Core catches every handler error, so this only sees errors
    // thrown by Bun or by this adapter itself.
    error(error, ws) {
      connections.get(ws)?.error(error)
    },
    drain(ws) {
      connections.get(ws)?.drain()
    },
    pong(ws) {
      connections.get(ws)?.pong()
    },
    // Bun enforces the helper's payload limit while reading; a route may only lower it (core checks per message).
    maxPayloadLength: options.maxPayload ?? DEFAULT_LIMITS.maxPayload,
    // Core's heartbeat replaces Bun's idle timer, so both mean the same as on every runtime (off means off).
    idleTimeout: 0,
    sendPings: false,
    // Core closes a slow consumer at maxBufferedAmount; Bun must not drop messages silently before that.
    backpressureLimit: Math.max(maxBuffered * 2, 16 * 1024 * 1024),
    closeOnBackpressureLimit: false,
  }

  return {
    // The raw socket is Bun's ServerWebSocket; T only names its type for the caller.
    upgradeWebSocket: upgradeWebSocket as unknown as UpgradeWebSocket<T, BunUpgradeOptions>,
    websocket,
    ...helperInstance(hub),
  }
}

const defaultHelper = createBunWebSocket()

/**
 * `upgradeWebSocket` for Bun (the default helper instance); serve with `websocket` from this package.
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * export default { fetch: app.fetch, websocket }
 */
export const upgradeWebSocket: UpgradeWebSocket<BunServerWebSocketLike, BunUpgradeOptions> =
  defaultHelper.upgradeWebSocket

/** The `websocket` handler object to pass to `Bun.serve` next to `fetch` (the default helper instance). */
export const websocket: BunWebSocketHandler = defaultHelper.websocket
