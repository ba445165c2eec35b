import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { headerLines, takeAccepted, type WSUpgradeInfo, warnOnce } from '@honokit/ws-core/adapter'
import { toRequest } from './request.ts'
import { type UpgradeDecision, UpgradeResponse } from './upgrade-response.ts'
import type { NodeWebSocketLike, NodeWebSocketServerInput } from './websocket-like.ts'
import { writeResponse } from './write-response.ts'

/** A Node server that emits `upgrade` (what `serve()` from `@hono/node-server` or this package returns). */
export interface UpgradeEmitter {
  on(event: 'upgrade', listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): unknown
  listenerCount(event: 'upgrade' | 'request'): number
  /** Dispatches the upgrade request to the server's own `request` listener (the `fetch` given to `serve()`). */
  emit?(event: 'request', ...args: any[]): boolean
}

/** What a route that accepted the upgrade leaves for the dispatcher. */
export interface Accepted {
  upgrade: WSUpgradeInfo
  /** The route's payload limit, for `ws` to enforce while reading. */
  maxPayload: number
  /** The helper's `perMessageDeflate`, as `ws` takes it (false: never negotiated). */
  perMessageDeflate: false | { threshold: number }
  /** Binds the handshaken socket to the route's events in the helper that accepted it. */
  connect(raw: NodeWebSocketLike): void
}

/** How one server's upgrades are completed. */
export interface UpgradeTarget {
  server: UpgradeEmitter
  /** The `ws` server that performs the handshakes. */
  wss: NodeWebSocketServerInput
  /** Emit `connection` on `wss` for each upgraded socket, as `@hono/node-server` does with the server it is given. */
  emitConnection?: boolean
  /** Used only when the server has no `request` listener to dispatch to. */
  fetch?: (request: Request, env: unknown) => Response | Promise<Response>
  /** Origin used to build request URLs instead of the `Host` header. */
  baseUrl?: string | URL
}

interface Slot {
  accepted?: Accepted
}

// Keyed by the request, so any helper instance (the default one too) can accept an upgrade that any honokit
// listener dispatched, whichever `fetch` wrapper the request went through on the way.
const pending = new WeakMap<IncomingMessage, Slot>()
const extraHeaders = new WeakMap<IncomingMessage, string[]>()
const prepared = new WeakSet<object>()

/** Records that the route accepted `incoming`; false when no honokit listener is dispatching it. */
export function acceptUpgrade(incoming: unknown, accepted: Accepted): boolean {
  const slot = pending.get(incoming as IncomingMessage)
  if (!slot) return false
  slot.accepted = accepted
  return true
}

/** Makes `wss` negotiate the subprotocol core chose and send the 101 with the headers middleware set. Once per server. */
export function prepareServer(wss: NodeWebSocketServerInput): void {
  if (prepared.has(wss)) return
  prepared.add(wss)
  const own = wss.options.handleProtocols
  wss.options.handleProtocols = (offered, req) => {
    const accepted = pending.get(req)?.accepted
    if (accepted) return accepted.upgrade.protocol || false
    return own ? own(offered, req) : (offered.values().next().value ?? false)
  }
  wss.on('headers', (headers, req) => {
    const extra = extraHeaders.get(req)
    if (extra) headers.push(...extra)
  })
}

/** Says once per path that an upgrade request matched no route: the usual wiring mistakes, and their fixes. */
function warnUnrouted(req: IncomingMessage): void {
  const path = (req.url ?? '/').split('?')[0]
  warnOnce(
    console,
    `a WebSocket upgrade request for ${path} got 404 from the app: no upgradeWebSocket route matched it. ` +
      'Register the route with app.get(path, upgradeWebSocket(...)) (a handshake is always a GET) on the app ' +
      'that serve() was given, and mount a sub-app with app.route(prefix, subApp).'
  )
}

/** True when some other `upgrade` listener has already taken the socket (answered it or attached a reader). */
function takenByOther(socket: Duplex): boolean {
  return socket.destroyed || socket.listenerCount('data') > 0 || socket.writableLength > 0
}

/**
 * Handles one `upgrade` event: the request goes through the server's own request listener (so the `fetch` given to
 * `serve()`, wrappers included), and the route's acceptance decides between the handshake and the app's answer.
 */
export function dispatchUpgrade(
  target: UpgradeTarget,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer
): void {
  // Another honokit listener on this server already dispatches this request.
  if (pending.has(req)) return
  const slot: Slot = {}
  pending.set(req, slot)
  // A client reset during the async app dispatch would otherwise crash the process (RUNTIME-NOTES N16).
  const ignoreError = () => {}
  socket.on('error', ignoreError)
  const { server, wss } = target

  const decide = (status: number, headers: Headers): UpgradeDecision => {
    const accepted = takeAccepted(headers) ? slot.accepted : undefined
    if (!accepted) slot.accepted = undefined
    if (takenByOther(socket) || (!accepted && status === 404 && server.listenerCount('upgrade') > 1)) {
      // Another upgrade listener (a dev server's HMR socket) owns this one.
      socket.off('error', ignoreError)
      return 'drop'
    }
    if (!accepted) {
      if (status === 404) warnUnrouted(req)
      return 'answer'
    }
    extraHeaders.set(req, headerLines(headers))
    // Core accepted `Upgrade` as a token list ("websocket, h2c"); ws compares the whole value.
    req.headers.upgrade = 'websocket'
    // ws enforces the helper's limit while reading, so an oversized message is never buffered whole.
    const limit = wss.options.maxPayload
    wss.options.maxPayload = Math.min(limit ?? Number.POSITIVE_INFINITY, accepted.maxPayload)
    // The helper's choice, whatever the WebSocketServer was created with: one meaning on every runtime.
    const deflate = wss.options.perMessageDeflate
    wss.options.perMessageDeflate = accepted.perMessageDeflate
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        socket.off('error', ignoreError)
        accepted.connect(ws as NodeWebSocketLike)
        if (target.emitConnection) wss.emit('connection', ws, req)
      })
    } finally {
      wss.options.maxPayload = limit
      wss.options.perMessageDeflate = deflate
    }
    return 'drop'
  }

  if (target.baseUrl) req.url = new URL(req.url ?? '/', target.baseUrl).href
  if (server.emit && server.listenerCount('request') > 0) {
    const res = new UpgradeResponse(req, socket, decide)
    // After every `upgrade` listener ran: one that takes the socket synchronously (Vite's HMR) must be seen first.
    queueMicrotask(() => server.emit?.('request', req, res))
    return
  }
  void answerWithFetch(target, req, socket, decide)
}

/** The path for a server without a request listener: the helper's app serves the upgrade request itself. */
async function answerWithFetch(
  target: UpgradeTarget,
  req: IncomingMessage,
  socket: Duplex,
  decide: (status: number, headers: Headers) => UpgradeDecision
): Promise<void> {
  let res: Response
  try {
    if (!target.fetch)
      throw new Error('the server has no request listener and the helper was created without `app`')
    res = await target.fetch(toRequest(req), { incoming: req, outgoing: undefined })
  } catch (error) {
    console.error('[honokit/ws] the app threw while handling an upgrade request:', error)
    res = new Response('Internal Server Error', { status: 500 })
  }
  if (decide(res.status, new Headers(res.headers)) === 'answer') await writeResponse(socket, res)
}
