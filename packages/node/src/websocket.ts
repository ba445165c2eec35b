import type { IncomingMessage } from 'node:http'
import {
  acceptedResponse,
  createWebSocketHub,
  defineWebSocketHelper,
  helperInstance,
  nativeMaxPayload,
  type UpgradeWebSocket,
  type WSCloseCause,
  type WSConnection,
  type WSHelperInstance,
  type WSHubOptions,
  type WSUpgradeOptions,
} from '@honokit/ws-core/adapter'
import { WebSocketServer } from 'ws'
import { acceptUpgrade, dispatchUpgrade, prepareServer, type UpgradeEmitter } from './dispatch.ts'
import { transport } from './transport.ts'
import type {
  NodeWebSocketLike,
  NodeWebSocketServerInput,
  NodeWebSocketServerLike,
} from './websocket-like.ts'

/** Anything with a `fetch` like a Hono app's. */
export interface FetchApp {
  fetch(request: Request, env?: any): Response | Promise<Response>
}

/** Options of `createNodeWebSocket`: the app, and the helper's limits and broker (see the core README). */
export interface NodeWebSocketInit extends WSHubOptions {
  /**
   * The app, used only for a server without a request listener; upgrades otherwise go through the server's own
   * request listener, i.e. the `fetch` given to `serve()`.
   */
  app?: FetchApp
  /** Origin used to build request URLs instead of the `Host` header. */
  baseUrl?: string | URL
}

/** Options of `upgradeWebSocket` on Node. */
export interface NodeUpgradeOptions extends WSUpgradeOptions {}

/** What `createNodeWebSocket` returns: the same shape as `@hono/node-ws`. */
export interface NodeWebSocket extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<NodeWebSocketLike, NodeUpgradeOptions>
  /** Attaches the upgrade handling to a server that `serve()` returned (not needed with `websocket: { server }`). */
  injectWebSocket(server: UpgradeEmitter): void
  /** The `ws` server (in `noServer` mode) that performs the handshakes of `injectWebSocket`. */
  wss: NodeWebSocketServerLike
}

const notDispatched = (env: unknown) => {
  const fromHonoServe = typeof env === 'object' && env !== null && 'wss' in env
  return new Error(
    fromHonoServe
      ? 'upgradeWebSocket() from @honokit/ws-node received a WebSocket upgrade request from serve() of ' +
          '@hono/node-server, which completes upgrades only for its own upgradeWebSocket. Import serve from ' +
          "@honokit/ws-node as well: `import { serve, upgradeWebSocket } from '@honokit/ws-node'`."
      : 'upgradeWebSocket() from @honokit/ws-node received a WebSocket upgrade request, but injectWebSocket(server) ' +
          'was never called for the server it came through. Either pass a WebSocketServer to serve() from ' +
          '@honokit/ws-node: `serve({ fetch: app.fetch, port, websocket: { server: new WebSocketServer({ noServer: ' +
          'true }) } })`, or take upgradeWebSocket and injectWebSocket from createNodeWebSocket({ app }) and call ' +
          'injectWebSocket() with the server that serve() returns: `const { upgradeWebSocket, injectWebSocket } = ' +
          'createNodeWebSocket({ app }); injectWebSocket(serve({ fetch: app.fetch, port }))`.'
  )
}

// ws fails a connection with an error whose code names the fault, then reports 1006 to `close` (RUNTIME-NOTES N16).
const FAILURES: Record<string, WSCloseCause> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'message-too-big',
  WS_ERR_INVALID_UTF8: 'invalid-payload',
}

/** The ws socket's record of the closing handshake (what ws's own `CloseEvent.wasClean` reads). */
interface ClosingState {
  _closeFrameReceived?: boolean
  _closeFrameSent?: boolean
}

// Each socket's connection (and the fault ws reported before closing), kept on the ws socket under symbols of this
// module, so that the listeners below are shared by every socket (ws calls them with `this` the socket) instead of
// five closures per connection.
const CONNECTION = Symbol('honokit.connection')
const FAILURE = Symbol('honokit.failure')
type Wired = NodeWebSocketLike &
  ClosingState & {
    [CONNECTION]: WSConnection<NodeWebSocketLike>
    [FAILURE]?: WSCloseCause
  }
type WiredSocket = { [CONNECTION]?: WSConnection<NodeWebSocketLike>; on(e: string, l: () => void): void }

function onMessage(this: Wired, data: Buffer, isBinary: boolean): void {
  this[CONNECTION].message(isBinary ? data : data.toString('utf8'))
}
function onClose(this: Wired, code: number, reason: Buffer): void {
  const failure = this[FAILURE]
  if (failure) this[CONNECTION].closedBy(failure)
  else
    this[CONNECTION].closed(
      code,
      reason.toString('utf8'),
      !!(this._closeFrameReceived && this._closeFrameSent)
    )
}
function onError(this: Wired, error: Error & { code?: string }): void {
  // A peer's protocol fault is not the app's error: onClose reports it with its code (1002, 1007, 1009), as on Bun.
  if (error.code?.startsWith('WS_ERR_')) this[FAILURE] ??= FAILURES[error.code] ?? 'protocol-error'
  else this[CONNECTION].error(error)
}
function onPong(this: Wired): void {
  this[CONNECTION].pong()
}
function onSocketDrain(this: WiredSocket): void {
  this[CONNECTION]?.drain()
}

/** Reports a `ws` socket's events to its connection. */
function wire(raw: NodeWebSocketLike, conn: WSConnection<NodeWebSocketLike>): void {
  const wired = raw as Wired
  wired[CONNECTION] = conn
  raw.on('message', onMessage)
  raw.on('close', onClose)
  raw.on('error', onError)
  raw.on('pong', onPong)
  // ws has no drain event of its own: its socket's is the one.
  const socket = (raw as { _socket?: WiredSocket })._socket
  if (socket) {
    socket[CONNECTION] = conn
    socket.on('drain', onSocketDrain)
  }
  conn.open()
}

/**
 * Creates a WebSocket helper instance for Node: the upgrade request goes through the server's own `fetch` once, as
 * the real request; a refusal reaches the client with the app's status, headers and body; headers set by middleware
 * reach the 101. Serve it with `serve({ websocket: { server } })` from this package, or call `injectWebSocket`.
 * @example
 * const app = new Hono()
 * const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * injectWebSocket(serve({ fetch: app.fetch, port: 3000 }))
 */
export function createNodeWebSocket(init: NodeWebSocketInit = {}): NodeWebSocket {
  const { app, baseUrl, ...hubOptions } = init
  const hub = createWebSocketHub(hubOptions, { transport, optionNames: { helper: ['app', 'baseUrl'] } })
  // ws answers an oversized message with Close 1009 itself, so it reads with the helper's limit.
  const maxPayload = nativeMaxPayload(hub.limits, 'close-1009')
  // Negotiated per upgrade (the WebSocketServer may be the application's); threshold 0, so `compress: true` always
  // compresses and nothing else does (our transport passes `compress` explicitly).
  const perMessageDeflate = hubOptions.perMessageDeflate ? { threshold: 0 } : (false as const)
  const wss = new WebSocketServer({ noServer: true, maxPayload, clientTracking: false })
  prepareServer(wss as unknown as NodeWebSocketServerInput)

  const upgradeWebSocket = defineWebSocketHelper<NodeWebSocketLike, NodeUpgradeOptions>(
    (c, _events, _o, upgrade) => {
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
      const connect = (raw: NodeWebSocketLike) => wire(raw, upgrade.connect(raw))
      // The route's own limit (it may be lower than the helper's), so ws refuses a frame or fragment past it while
      // reading instead of core seeing the whole message first.
      const routeMax = nativeMaxPayload(upgrade.limits, 'close-1009')
      const accepted = { upgrade, maxPayload: routeMax, perMessageDeflate, connect }
      if (!acceptUpgrade(incoming, accepted)) throw notDispatched(c.env)
      // ws writes the 101 once the app's final response is known (it may still be replaced by middleware).
      return acceptedResponse(c)
    },
    hub
  )

  const injectWebSocket = (server: UpgradeEmitter) => {
    const target = {
      server,
      wss: wss as unknown as NodeWebSocketServerInput,
      fetch: app?.fetch.bind(app),
      baseUrl,
    }
    server.on('upgrade', (req, socket, head) => dispatchUpgrade(target, req, socket, head))
  }

  return {
    upgradeWebSocket,
    injectWebSocket,
    wss: wss as unknown as NodeWebSocketServerLike,
    ...helperInstance(hub),
  }
}

const defaultHelper = createNodeWebSocket()

/**
 * `upgradeWebSocket` for Node (the default helper instance); serve with `serve` from this package and a `ws`
 * `WebSocketServer`, as Hono's Node.js guide shows. For settings, publish or shutdown, use `createNodeWebSocket()`.
 * @example
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * serve({ fetch: app.fetch, port: 3000, websocket: { server: new WebSocketServer({ noServer: true }) } })
 */
export const upgradeWebSocket: UpgradeWebSocket<NodeWebSocketLike, NodeUpgradeOptions> =
  defaultHelper.upgradeWebSocket
