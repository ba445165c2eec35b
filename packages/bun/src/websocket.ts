import {
  createWebSocketHub,
  defineWebSocketHelper,
  helperInstance,
  nativeBackpressureLimit,
  nativeMaxPayload,
  notWiredError,
  PendingUpgrades,
  type UpgradeWebSocket,
  type WSCloseCause,
  type WSConnection,
  type WSHelperInstance,
  type WSHubOptions,
  type WSTransport,
  type WSUpgradeInfo,
  type WSUpgradeOptions,
} from '@honokit/ws-core/adapter'
import type { Context } from 'hono'
import type { BunServerLike, BunServerWebSocketLike } from './bun-like.ts'

/** Options of `upgradeWebSocket` on Bun. */
export interface BunUpgradeOptions extends WSUpgradeOptions {}

/**
 * What this package passes to `server.upgrade()` as `data` (Bun's `ws.data` until `open`, `undefined` after):
 * bookkeeping only; the application's per-connection data is `ws.data` on the `WSContext`.
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
  perMessageDeflate: boolean
}

/**
 * A helper instance for Bun: `upgradeWebSocket` and `websocket` for `Bun.serve`, plus the instance API. `T` is the
 * type of `ws.raw` (Bun's `ServerWebSocket`).
 */
export interface BunWebSocket<T = BunServerWebSocketLike> extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<T, BunUpgradeOptions>
  websocket: BunWebSocketHandler
}

// Bun fails a connection for a bad frame with Close 1002/1007/1009 to the client, and reports 1006 to the server with
// a reason that names the fault: "Received too big message" (RUNTIME-NOTES B8), "Received invalid UTF-8",
// "Received invalid opcode", "Received unexpected RSV1 bit", … Core reports the code the client got.
function failureOf(code: number, reason: string): WSCloseCause | undefined {
  if (code !== 1006 || !reason.startsWith('Received ')) return undefined
  if (reason === 'Received too big message') return 'message-too-big'
  return reason === 'Received invalid UTF-8' ? 'invalid-payload' : 'protocol-error'
}

const NO_SERVER =
  'it needs the Bun server, which Bun passes as the second argument of fetch. Serve the app with ' +
  '`export default { fetch: app.fetch, websocket }` or `Bun.serve({ fetch: app.fetch, websocket })`; ' +
  'a wrapper must pass it on: `fetch: (req, server) => app.fetch(req, server)`.'
const NO_HANDLER =
  'Bun.serve was started without the `websocket` handler from @honokit/ws-bun: pass `websocket` next to `fetch`, ' +
  'as in `Bun.serve({ fetch: app.fetch, websocket })` or `export default { fetch: app.fetch, websocket }`.'

// The tokens of every helper instance's upgrades: tells "another instance's socket" from "not ours at all".
const issued = new WeakSet<object>()
const MIXED =
  "a socket upgraded by one @honokit/ws-bun helper instance reached another instance's `websocket` handler, so " +
  'its events had nowhere to go and it was closed (1011). Take `upgradeWebSocket` and `websocket` (and `publish`) ' +
  'from the same instance: both from `createBunWebSocket()`, or both the package defaults.'
const FOREIGN =
  "a socket that was not upgraded by this package's upgradeWebSocket reached its `websocket` handler and was " +
  'closed (1011): upgrade every WebSocket route with upgradeWebSocket from @honokit/ws-bun.'

// Each socket's connection, kept on the socket itself under a symbol no one else has: Bun's `ws.data` stays the
// application's, and an own property costs less than a `WeakMap` entry (44 bytes per connection) and is faster to read
// on every message.
const CONNECTION = Symbol('honokit.connection')
type Socket = BunServerWebSocketLike & { [CONNECTION]?: WSConnection<BunServerWebSocketLike> }
const connectionOf = (ws: BunServerWebSocketLike) => (ws as Socket)[CONNECTION]

/** How core drives Bun's `ServerWebSocket`, shared by every connection. */
const transport: WSTransport<BunServerWebSocketLike> = {
  // Bun returns the bytes written, 0 when the socket is closed, or -1 when the message waits in its buffer
  // (backpressure): only then is there a buffer to check. Without compression the call has one argument: an explicit
  // `undefined` measured about 2 % of Bun echo (bench/README.md, "The message path").
  send: (ws, data, options) =>
    (options.compress ? ws.send(data, true) : ws.send(data)) !== -1 ? false : undefined,
  close: (ws, code, reason) => ws.close(code, reason),
  // No readyState: Bun runs `close` in the same tick as the socket closes (a peer's Close, a drop, terminate()), so
  // the state core tracks is the socket's, and reading Bun's on every send would cost a native call per message.
  ping: (ws) => ws.ping(),
  terminate: (ws) => ws.terminate(),
  bufferedAmount: (ws) => ws.getBufferedAmount(),
}

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
  const hub = createWebSocketHub(options, { transport })
  // Bun's `data` for each upgrade keys the upgrade until `open` (the application's per-connection data is `ws.data`
  // on the WSContext).
  const pending = new PendingUpgrades<object, WSUpgradeInfo<BunServerWebSocketLike>>()
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
    (c, _events, _o, upgrade) => {
      const found = serverOf(c)
      if (!found) throw notWiredError('@honokit/ws-bun', NO_SERVER)
      server = found
      const headers = upgrade.headers
      // Without this header Bun echoes the first offered subprotocol; '' makes it send none (RUNTIME-NOTES B6).
      if (!upgrade.protocol) headers.set('Sec-WebSocket-Protocol', '')
      // The upgrade itself is Bun's `data` for this socket until `open` (no extra object per connection).
      const token = upgrade as object
      issued.add(token)
      pending.hold(token, upgrade)
      let upgraded: boolean
      try {
        // Bun runs `open` inside upgrade() (RUNTIME-NOTES B6).
        upgraded = found.upgrade(c.req.raw, { headers, data: token })
      } catch (error) {
        if (/websocket/i.test(String((error as Error)?.message)))
          throw new Error(NO_HANDLER, { cause: error })
        throw error
      }
      if (!upgraded) return new Response('Bad WebSocket handshake: Bun refused the upgrade.', { status: 400 })
      // Bun has written the 101; the response the app returns is ignored: the upgrade's own, rather than another.
      return upgrade.response
    },
    hub
  )

  const websocket: BunWebSocketHandler = {
    open(ws) {
      const token = ws.data as object
      const upgrade = pending.take(token)
      if (!upgrade) {
        hub.logger.error(`[honokit/ws] ${issued.has(token) ? MIXED : FOREIGN}`)
        ws.close(1011, 'Internal Error')
        return
      }
      // Bun's slot is the application's from here on; the upgrade (headers, events) is released.
      ws.data = undefined
      const conn = upgrade.connect(ws)
      ;(ws as Socket)[CONNECTION] = conn
      conn.open()
    },
    message(ws, message) {
      connectionOf(ws)?.message(message)
    },
    close(ws, code, reason) {
      const conn = connectionOf(ws)
      ;(ws as Socket)[CONNECTION] = undefined
      const failure = failureOf(code, reason)
      if (failure) conn?.closedBy(failure, reason)
      else conn?.closed(code, reason)
    },
    // Bun passes the error first (RUNTIME-NOTES B8). Core catches every handler error, so this only sees errors
    // thrown by Bun or by this adapter itself.
    error(error, ws) {
      connectionOf(ws)?.error(error)
    },
    drain(ws) {
      connectionOf(ws)?.drain()
    },
    pong(ws) {
      connectionOf(ws)?.pong()
    },
    // Bun answers an oversized message with Close 1009 itself, so it reads with the helper's limit.
    maxPayloadLength: nativeMaxPayload(hub.limits, 'close-1009'),
    // Core's heartbeat replaces Bun's idle timer, so both mean the same as on every runtime (off means off).
    idleTimeout: 0,
    sendPings: false,
    backpressureLimit: nativeBackpressureLimit(hub.limits),
    closeOnBackpressureLimit: false,
    // Bun negotiates per server; `ws.send(data, compress)` then compresses only when asked, as everywhere.
    perMessageDeflate: hub.options.perMessageDeflate ?? false,
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
