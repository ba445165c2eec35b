import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  createConnection,
  createWebSocketHub,
  DEFAULT_LIMITS,
  defineWebSocketHelper,
  helperInstance,
  TOO_BIG_CLOSE_CODE,
  type UpgradeWebSocket,
  type WSEvents,
  type WSHelperInstance,
  type WSHubOptions,
  type WSReadyState,
  type WSUpgradeInfo,
  type WSUpgradeOptions,
} from '@honokit/ws-core'
import { WebSocketServer } from 'ws'
import { toRequest } from './request.ts'
import type { NodeWebSocketLike, NodeWebSocketServerLike } from './websocket-like.ts'
import { headerLines, writeResponse } from './write-response.ts'

/** Anything with a `fetch` like a Hono app's. */
export interface FetchApp {
  fetch(request: Request, env?: any): Response | Promise<Response>
}

/** A Node server that emits `upgrade` (what `serve()` from `@hono/node-server` returns). */
export interface UpgradeEmitter {
  on(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown
  listenerCount(event: 'upgrade'): number
}

/** Options of `createNodeWebSocket`: the app, and the helper's limits and broker (see the core README). */
export interface NodeWebSocketInit extends WSHubOptions {
  /** The app that serves the upgrade requests; its routes use the returned `upgradeWebSocket`. */
  app: FetchApp
  /** Origin used to build request URLs instead of the `Host` header. */
  baseUrl?: string | URL
}

/** Options of `upgradeWebSocket` on Node. */
export interface NodeUpgradeOptions extends WSUpgradeOptions {}

/** What `createNodeWebSocket` returns: the same shape as `@hono/node-ws`. */
export interface NodeWebSocket extends WSHelperInstance {
  upgradeWebSocket: UpgradeWebSocket<NodeWebSocketLike, NodeUpgradeOptions>
  /** Attaches the upgrade handling to the server that `serve()` returned. */
  injectWebSocket(server: UpgradeEmitter): void
  /** The `ws` server (in `noServer` mode) that performs the handshakes. */
  wss: NodeWebSocketServerLike
}

interface Accepted {
  events: WSEvents<NodeWebSocketLike>
  upgrade: WSUpgradeInfo
}

/** Per upgrade request: set by the route when it accepts, read once the app's response is final. */
interface Slot {
  accepted?: Accepted
}

// Marks the app's response as "the route accepted the upgrade", so a middleware that replaced it (an error page,
// a redirect) wins over the upgrade. Stripped before anything reaches the client.
const ACCEPT_MARKER = 'x-honokit-ws-accepted'

const notInjected = () =>
  new Error(
    'upgradeWebSocket() from @honokit/ws-node received a WebSocket upgrade request, but injectWebSocket(server) ' +
      'was never called for the server it came through. Call injectWebSocket() with the server that serve() ' +
      'returns: `const server = serve({ fetch: app.fetch, port }); injectWebSocket(server)`.'
  )

/** True when some other `upgrade` listener has already taken the socket (answered it or attached a reader). */
function takenByOther(socket: Duplex): boolean {
  return socket.destroyed || socket.listenerCount('data') > 0 || socket.writableLength > 0
}

/**
 * Creates WebSocket support for a Node server: the upgrade request goes through the app once, as the real request;
 * a refusal reaches the client with the app's status, headers and body; headers set by middleware reach the 101.
 * @example
 * const app = new Hono()
 * const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
 * app.get('/ws', upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 * injectWebSocket(serve({ fetch: app.fetch, port: 3000 }))
 */
export function createNodeWebSocket(init: NodeWebSocketInit): NodeWebSocket {
  const { app, baseUrl, ...hubOptions } = init
  const hub = createWebSocketHub(hubOptions, { optionNames: { helper: ['app', 'baseUrl'] } })
  const slots = new WeakMap<IncomingMessage, Slot>()
  const extraHeaders = new WeakMap<IncomingMessage, string[]>()

  const wss = new WebSocketServer({
    noServer: true,
    // ws enforces the helper's limit while reading, so an oversized message is never buffered whole; a route may
    // only lower it, which core checks per message.
    maxPayload: hubOptions.maxPayload ?? DEFAULT_LIMITS.maxPayload,
    clientTracking: false,
    handleProtocols: (_offered, req) => slots.get(req)?.accepted?.upgrade.protocol || false,
  })
  wss.on('headers', (headers, req) => {
    const extra = extraHeaders.get(req)
    if (extra) headers.push(...extra)
  })

  const upgradeWebSocket = defineWebSocketHelper<NodeWebSocketLike, NodeUpgradeOptions>(
    (c, events, _o, upgrade) => {
      const slot = slots.get(
        (c.env as { incoming?: IncomingMessage } | undefined)?.incoming as IncomingMessage
      )
      if (!slot) throw notInjected()
      slot.accepted = { events, upgrade }
      // c.newResponse carries the headers middleware set with c.header() before the upgrade.
      return c.newResponse(null, { headers: { [ACCEPT_MARKER]: '1' } })
    },
    hub
  )

  const connect = (raw: NodeWebSocketLike, { events, upgrade }: Accepted) => {
    const conn = createConnection(events, {
      raw,
      readyState: () => raw.readyState as WSReadyState,
      send: (data, options) =>
        raw.send(data, { compress: options.compress, binary: typeof data !== 'string' }),
      close: (code, reason) => raw.close(code, reason),
      ping: () => raw.ping(),
      terminate: () => raw.terminate(),
      bufferedAmount: () => raw.bufferedAmount,
      ...upgrade,
    })
    let tooBig = false
    raw.on('message', (data: Buffer, isBinary: boolean) =>
      conn.message(isBinary ? data : data.toString('utf8'))
    )
    // ws answers an oversized message with 1009 itself, then reports 1006 here (RUNTIME-NOTES N16).
    raw.on('close', (code: number, reason: Buffer) =>
      tooBig ? conn.close(TOO_BIG_CLOSE_CODE, 'Message too big') : conn.close(code, reason.toString('utf8'))
    )
    raw.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') tooBig = true
      conn.error(error)
    })
    raw.on('pong', () => conn.pong())
    // ws has no drain event of its own: its socket's is the one.
    ;(raw as { _socket?: { on(e: string, l: () => void): void } })._socket?.on('drain', () => conn.drain())
    conn.open()
  }

  const onUpgrade = async (server: UpgradeEmitter, req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client reset during the async app dispatch would otherwise crash the process (RUNTIME-NOTES N16).
    const ignoreError = () => {}
    socket.on('error', ignoreError)
    const slot: Slot = {}
    slots.set(req, slot)
    let res: Response
    try {
      res = await app.fetch(toRequest(req, baseUrl), { incoming: req, outgoing: undefined })
    } catch (error) {
      console.error('[honokit/ws] the app threw while handling an upgrade request:', error)
      res = new Response('Internal Server Error', { status: 500 })
    }
    const accepted = slot.accepted && res.headers.has(ACCEPT_MARKER) ? slot.accepted : undefined
    if (!accepted) slot.accepted = undefined
    const others = server.listenerCount('upgrade') > 1
    if (takenByOther(socket) || (!accepted && others && res.status === 404)) {
      // Another upgrade listener (a dev server's HMR socket) owns this one.
      socket.off('error', ignoreError)
      return
    }
    if (!accepted) {
      await writeResponse(socket, res)
      return
    }
    res.headers.delete(ACCEPT_MARKER)
    extraHeaders.set(req, headerLines(res.headers))
    // Core accepted `Upgrade` as a token list ("websocket, h2c"); ws compares the whole value.
    req.headers.upgrade = 'websocket'
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', ignoreError)
      connect(ws as unknown as NodeWebSocketLike, accepted)
    })
  }

  const injectWebSocket = (server: UpgradeEmitter) => {
    server.on('upgrade', (req, socket, head) => void onUpgrade(server, req, socket, head))
  }

  return {
    upgradeWebSocket,
    injectWebSocket,
    wss: wss as unknown as NodeWebSocketServerLike,
    ...helperInstance(hub),
  }
}
