import {
  createConnection,
  defineWebSocketHelper,
  handshakeHeaders,
  type UpgradeWebSocket,
  type WSConnection,
  type WSEvents,
  type WSReadyState,
  type WSUpgradeOptions,
} from '@honokit/ws-core'
import type { Context } from 'hono'
import type { BunServerLike, BunServerWebSocketLike } from './bun-like.ts'

/** Options of `upgradeWebSocket` on Bun. */
export interface BunUpgradeOptions extends WSUpgradeOptions {}

interface Pending {
  events: WSEvents<BunServerWebSocketLike>
  protocol: string
  url: string
}

// Bookkeeping stays out of `ws.data` (a user write there must not break the connection): the upgrade hands it over
// under a symbol, `open` moves it into this map and removes it.
const PENDING = Symbol('honokit.ws.pending')
const connections = new WeakMap<BunServerWebSocketLike, WSConnection<BunServerWebSocketLike>>()

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
 * `upgradeWebSocket` for Bun; serve with the `websocket` handler object from this package.
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * export default { fetch: app.fetch, websocket }
 */
export const upgradeWebSocket: UpgradeWebSocket<BunServerWebSocketLike, BunUpgradeOptions> =
  defineWebSocketHelper<BunServerWebSocketLike, BunUpgradeOptions>(
    (c, events, _options, { protocol, url }) => {
      const server = serverOf(c)
      if (!server) throw new Error(NO_SERVER)
      const headers = handshakeHeaders(c.res.headers, protocol)
      // Without this header Bun echoes the first offered subprotocol; '' makes it send none (RUNTIME-NOTES B6).
      if (!protocol) headers.set('Sec-WebSocket-Protocol', '')
      const pending: Pending = { events, protocol, url }
      let upgraded: boolean
      try {
        upgraded = server.upgrade(c.req.raw, { headers, data: { [PENDING]: pending } })
      } catch (error) {
        if (/websocket/i.test(String((error as Error)?.message)))
          throw new Error(NO_HANDLER, { cause: error })
        throw error
      }
      if (!upgraded) return new Response('Bad WebSocket handshake: Bun refused the upgrade.', { status: 400 })
      return new Response(null)
    }
  )

function take(ws: BunServerWebSocketLike): WSConnection<BunServerWebSocketLike> | undefined {
  return connections.get(ws)
}

/** The `websocket` handler object to pass to `Bun.serve` next to `fetch`. */
export const websocket = {
  open(ws: BunServerWebSocketLike): void {
    const data = ws.data as { [PENDING]?: Pending } | undefined
    const pending = data?.[PENDING]
    if (!pending) return
    delete data[PENDING]
    const conn = createConnection(pending.events, {
      raw: ws,
      url: pending.url,
      protocol: pending.protocol,
      readyState: () => ws.readyState as WSReadyState,
      send: (payload, options) => {
        ws.send(payload, options.compress)
      },
      close: (code, reason) => ws.close(code, reason),
    })
    connections.set(ws, conn)
    conn.open()
  },
  message(ws: BunServerWebSocketLike, message: string | Uint8Array): void {
    take(ws)?.message(message)
  },
  close(ws: BunServerWebSocketLike, code: number, reason: string): void {
    take(ws)?.close(code, reason)
    connections.delete(ws)
  },
  // Bun passes the error first (RUNTIME-NOTES B8). Core catches every handler error, so this only sees errors
  // thrown by Bun or by this adapter itself.
  error(error: Error, ws: BunServerWebSocketLike): void {
    take(ws)?.error(error)
  },
  drain(_ws: BunServerWebSocketLike): void {
    // Backpressure signals are wired here by the production-knobs work; nothing waits on drain yet.
  },
}
