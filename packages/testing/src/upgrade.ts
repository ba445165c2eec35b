import { handshakeHeaders, takeAccepted } from '@honokit/ws-core/adapter'
import { markTestRequest, takeUpgrade } from './helper.ts'
import { MemorySocket } from './pair.ts'

/** Anything with a `fetch` like a Hono app's (`app`, `app.fetch` bound, a sub-app). */
export interface FetchApp {
  fetch(request: Request, env?: any, executionCtx?: any): Response | Promise<Response>
}

/** How the test client opens a route. */
export interface ConnectOptions {
  /** Request headers (cookies, `Authorization`, …), added to the handshake's own. */
  headers?: HeadersInit
  /** Query parameters, appended to those already in the path. */
  query?: Record<string, string | number | boolean | readonly (string | number | boolean)[]>
  /** Subprotocols offered, in preference order (`Sec-WebSocket-Protocol`). */
  protocols?: string | readonly string[]
  /** The browser origin to send (`Origin`); none by default, as a server or CLI client sends none. */
  origin?: string
  /** Where a relative path is resolved: default `http://localhost`, as `testClient` and `app.request` use. */
  base?: string
  /** Hono's `c.env` for the request (bindings). */
  env?: unknown
  /** Hono's `c.executionCtx` for the request. */
  executionCtx?: unknown
  /** Milliseconds every wait of this client may take before it fails with what arrived (default 2,000). */
  timeout?: number
  /** Answer the server's pings (default true); false plays a peer that went silent. */
  autoPong?: boolean
}

/** The answer of an upgrade that did not open: the app's real status, headers and body. */
export class WebSocketRefusedError extends Error {
  override name = 'WebSocketRefusedError'
  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    readonly body: string
  ) {
    super(
      `the WebSocket upgrade to ${url} was refused with ${status}${body ? `: ${body.slice(0, 300)}` : ''}` +
        (status === 200 || status === 404
          ? ' (no upgradeWebSocket from @honokit/ws-testing answered it: is the route and method right, and is ' +
            'the app built with the test helper?)'
          : '')
    )
  }
}

/** An opened in-memory connection: the client's end and what the handshake answered. */
export interface OpenedConnection {
  socket: MemorySocket
  url: string
  protocol: string
  headers: Headers
}

const KEY_BYTES = 16

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

function randomKey(): string {
  const bytes = new Uint8Array(KEY_BYTES)
  crypto.getRandomValues(bytes)
  return btoa(String.fromCharCode(...bytes))
}

/** `Sec-WebSocket-Accept` for `key` (RFC 6455 §4.2.2), so the 101's headers are complete. */
async function acceptFor(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key + GUID))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
}

/** The absolute http(s) URL of `path` with `query` appended. */
export function requestUrl(path: string, options: ConnectOptions): URL {
  const url = new URL(path.replace(/^ws(s?):/, 'http$1:'), options.base ?? 'http://localhost')
  for (const [name, value] of Object.entries(options.query ?? {}))
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v))
  return url
}

/**
 * Sends the upgrade request for `path` to `app.fetch` and, when the app's final answer accepts it, connects an
 * in-memory pair to the route; otherwise rejects with `WebSocketRefusedError`.
 */
export async function openConnection(
  app: FetchApp,
  path: string,
  options: ConnectOptions = {}
): Promise<OpenedConnection> {
  if (typeof app?.fetch !== 'function')
    throw new TypeError(
      'connect(app, path): app must be a Hono app (or anything with a fetch(request) method).'
    )
  const url = requestUrl(path, options)
  const headers = new Headers({
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomKey(),
    'Sec-WebSocket-Version': '13',
  })
  const protocols = typeof options.protocols === 'string' ? [options.protocols] : (options.protocols ?? [])
  if (protocols.length > 0) headers.set('Sec-WebSocket-Protocol', protocols.join(', '))
  if (options.origin !== undefined) headers.set('Origin', options.origin)
  new Headers(options.headers).forEach((value, name) => {
    headers.set(name, value)
  })
  const accept = acceptFor(headers.get('Sec-WebSocket-Key') ?? '')
  const request = new Request(url, { headers })
  markTestRequest(request)
  const res = await app.fetch(request, options.env, options.executionCtx)
  const upgrade = takeUpgrade(request)
  const answer = new Headers(res.headers)
  if (!upgrade || !takeAccepted(answer)) {
    const body = res.body ? await res.text() : ''
    throw new WebSocketRefusedError(url.href.replace(/^http/, 'ws'), res.status, res.headers, body)
  }
  const sent = handshakeHeaders(answer, upgrade.protocol)
  sent.set('Upgrade', 'websocket')
  sent.set('Connection', 'Upgrade')
  sent.set('Sec-WebSocket-Accept', await accept)
  const [server, client] = MemorySocket.pair()
  client.autoPong = options.autoPong ?? true
  const conn = upgrade.connect(server)
  server.events = {
    message: (data) => conn.message(data),
    close: (code, reason, wasClean) => conn.closed(code, reason, wasClean),
    pong: () => conn.pong(),
    drain: () => conn.drain(),
  }
  conn.open()
  return { socket: client, url: url.href.replace(/^http/, 'ws'), protocol: upgrade.protocol, headers: sent }
}
