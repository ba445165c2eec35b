// An adapter skeleton: Hono WebSockets on Node with `ws`, written only from the core README's "Writing an adapter".
// It owns the upgrade (the runtime writes the 101 after the app answered), so it shows the server-owned pattern.
// Copy this folder, rename the package, and replace the `ws` calls with your runtime's.
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import {
  acceptedResponse,
  createWebSocketHub,
  defineWebSocketHelper,
  headerLines,
  helperInstance,
  nativeMaxPayload,
  notWiredError,
  PendingUpgrades,
  responseBytes,
  takeAccepted,
  type WSCloseCause,
  type WSHubOptions,
  type WSReadyState,
  type WSTransport,
  type WSUpgradeInfo,
} from '@honokit/ws-core/adapter'
import { type WebSocket, WebSocketServer } from 'ws'

/** 1. How core drives the runtime's socket: defined once, shared by every connection. */
const transport: WSTransport<WebSocket> = {
  send: (ws, data, options) =>
    ws.send(data, { compress: options.compress, binary: typeof data !== 'string' }),
  close: (ws, code, reason) => ws.close(code, reason),
  readyState: (ws) => ws.readyState as WSReadyState,
  ping: (ws) => ws.ping(),
  terminate: (ws) => ws.terminate(),
  bufferedAmount: (ws) => ws.bufferedAmount,
}

/** Anything with a `fetch` like a Hono app's. */
interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>
}

/** 2. A helper instance: `upgradeWebSocket` for routes, `attach` for the server, plus connections/publish/shutdown. */
export function createSkeletonWebSocket(options: WSHubOptions = {}) {
  const hub = createWebSocketHub(options, { transport })
  const pending = new PendingUpgrades<IncomingMessage, WSUpgradeInfo<WebSocket>>()
  // ws answers an oversized message with Close 1009 itself, so it may read with the helper's limit.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: nativeMaxPayload(hub.limits, 'close-1009'),
    handleProtocols: () => false, // replaced per upgrade below
  })

  const upgradeWebSocket = defineWebSocketHelper<WebSocket>((c, _events, _options, upgrade) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
    if (!incoming) throw notWiredError('the skeleton adapter', 'call attach(server, app) on the Node server.')
    pending.hold(incoming, upgrade)
    return acceptedResponse(c)
  }, hub)

  /** 3. Completes upgrades on `server`: the app answers first; the 101 only when its final answer accepted. */
  const attach = (server: Server, app: FetchApp) =>
    server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => {}) // a client reset while the app runs must not crash the process
      const res = await app.fetch(toRequest(req), { incoming: req })
      const upgrade = pending.take(req)
      const headers = new Headers(res.headers)
      if (!upgrade || !takeAccepted(headers)) {
        socket.end(await responseBytes(res))
        return
      }
      wss.options.handleProtocols = () => upgrade.protocol || false
      wss.once('headers', (lines: string[]) => lines.push(...headerLines(headers)))
      req.headers.upgrade = 'websocket' // core accepted a token list; ws compares the whole value
      wss.options.maxPayload = nativeMaxPayload(upgrade.limits, 'close-1009') // the route's, checked while reading
      wss.handleUpgrade(req, socket, head, (ws) => wire(ws, upgrade))
    })

  return { upgradeWebSocket, attach, ...helperInstance(hub) }
}

const FAILURES: Record<string, WSCloseCause> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'message-too-big',
  WS_ERR_INVALID_UTF8: 'invalid-payload',
}

/** 4. Reports the runtime socket's events to core. */
function wire(ws: WebSocket, upgrade: WSUpgradeInfo<WebSocket>) {
  const conn = upgrade.connect(ws)
  let failure: WSCloseCause | undefined // ws fails a bad frame with Close 1002/1007/1009, then says 1006
  ws.on('message', (data: Buffer, isBinary: boolean) => conn.message(isBinary ? data : data.toString('utf8')))
  ws.on('close', (code: number, reason: Buffer) =>
    failure ? conn.closedBy(failure) : conn.closed(code, reason.toString('utf8'))
  )
  ws.on('error', (error: Error & { code?: string }) => {
    // A peer's protocol fault is not the app's error: onClose reports it with its code (1002, 1007, 1009), as on Bun.
    if (error.code?.startsWith('WS_ERR_')) failure ??= FAILURES[error.code] ?? 'protocol-error'
    else conn.error(error)
  })
  ws.on('pong', () => conn.pong())
  ;(ws as unknown as { _socket: Duplex })._socket.on('drain', () => conn.drain())
  conn.open()
}

/** The fetch `Request` of an upgrade request (GET, no body). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { headers })
}
