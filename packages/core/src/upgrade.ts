import type { Context } from 'hono'
import { connectSocket } from './connect.ts'
import type { RouteCounter, WSConnection, WSTransport } from './connection-types.ts'
import type { WSHub } from './hub-types.ts'
import type { ResolvedLimits } from './options.ts'
import type { WSData, WSEvents, WSUpgradeInfo } from './types.ts'
import { keepHandshakeHeaders } from './upgrade-headers.ts'

// The request URL of the last upgrade: connections to the same URL (most of a route's) keep one string between them
// instead of one each. Measured on Bun with 5,000 idle connections: 0.06 of raw Bun's memory per connection.
let lastUrl = ''
function sharedUrl(url: string): string {
  if (url !== lastUrl) lastUrl = url
  return lastUrl
}

/**
 * An upgrade core has admitted, handed to the adapter: what was decided (subprotocol, limits), the 101's headers,
 * and `connect(raw)` that binds the runtime socket to the route's events with the adapter's transport.
 */
export class AcceptedUpgrade<T = unknown> implements WSUpgradeInfo {
  /**
   * The headers of the 101, taken when the upgrade was admitted (after middleware and `createEvents` ran): every
   * end-to-end header middleware set (each `Set-Cookie` its own value) and the negotiated `Sec-WebSocket-Protocol`.
   * Hop-by-hop and handshake headers are left for the runtime to write.
   */
  readonly headers: Headers
  readonly response: Response
  /** The request URL (`ws.url` is parsed from it on first read). */
  readonly url: string
  readonly #events: WSEvents<T>

  constructor(
    c: Context,
    events: WSEvents<T>,
    readonly protocol: string,
    url: string,
    readonly limits: ResolvedLimits,
    readonly hub: WSHub,
    readonly route: RouteCounter
  ) {
    // One Response per upgrade, whose headers become the 101's: no filtered copy, and Bun returns it.
    this.response = c.newResponse(null)
    this.headers = keepHandshakeHeaders(this.response.headers, protocol)
    this.url = sharedUrl(url)
    this.#events = events
  }

  /**
   * Creates the connection on runtime socket `raw` with the transport the adapter declared in its hub's runtime
   * (`createWebSocketHub(options, { transport })`). `restore` carries `ws.data` and `resumed` after hibernation.
   * Throws when no transport was declared.
   */
  connect(raw: T, restore?: { data?: WSData; resumed?: boolean }): WSConnection<T> {
    const transport = this.hub.runtime.transport as WSTransport<T> | undefined
    if (!transport)
      throw new Error(
        'upgrade.connect() needs the adapter to declare its transport: createWebSocketHub(options, { transport }).'
      )
    return connectSocket(this.#events, transport, raw, this, restore)
  }
}
