import type { Context, Next } from 'hono'
import { checkHandshake, isWebSocketUpgrade, selectProtocol, upgradeRequired } from './handshake.ts'
import type { UpgradeWebSocket, WebSocketHelperDefineHandler, WSEvents, WSUpgradeOptions } from './types.ts'

type CreateEvents<T> = (c: Context) => WSEvents<T> | Promise<WSEvents<T>>

/**
 * Checks an upgrade request and runs the adapter: the checked-and-refused response, the adapter's response, or
 * `undefined` when the request is not a WebSocket upgrade or the adapter could not upgrade it.
 */
async function upgrade<T, U>(
  handler: WebSocketHelperDefineHandler<T, U>,
  c: Context,
  getEvents: () => WSEvents<T> | Promise<WSEvents<T>>,
  options: U | undefined
): Promise<Response | undefined> {
  const refused = checkHandshake(c.req.raw)
  if (refused) return refused
  const protocol = selectProtocol(c, options as WSUpgradeOptions | undefined)
  if (typeof protocol !== 'string') return protocol
  const events = await getEvents()
  const res = await handler(c, events, options, { protocol, url: c.req.url })
  return res || undefined
}

/**
 * Creates an adapter's `upgradeWebSocket` from the runtime-specific part, with the handshake policy applied once for
 * every runtime: `Upgrade`/`Connection` read case-insensitively as token lists; not an upgrade → `next()` in the
 * middleware form and `426` in the direct form; bad key → `400`; unsupported version → `426`; subprotocol chosen.
 * @example
 * export const upgradeWebSocket = defineWebSocketHelper<RawSocket, Options>((c, events, options, { protocol }) => {
 *   // perform the runtime upgrade, create the connection with createConnection(events, …), return the response
 * })
 */
export const defineWebSocketHelper = <T = unknown, U = any>(
  handler: WebSocketHelperDefineHandler<T, U>
): UpgradeWebSocket<T, U> => {
  return ((...args: unknown[]) => {
    if (typeof args[0] === 'function') {
      const [createEvents, options] = args as [CreateEvents<T>, U | undefined]
      return async function upgradeWebSocket(c: Context, next: Next) {
        if (!isWebSocketUpgrade(c.req.raw)) return next()
        const res = await upgrade(handler, c, () => createEvents(c), options)
        if (res) return res
        await next()
      }
    }
    const [c, events, options] = args as [Context, WSEvents<T>, U | undefined]
    return (async () => {
      if (!isWebSocketUpgrade(c.req.raw)) return upgradeRequired()
      const res = await upgrade(handler, c, () => events, options)
      if (!res) throw new Error('upgradeWebSocket: this runtime adapter could not upgrade the request.')
      return res
    })()
  }) as UpgradeWebSocket<T, U>
}

/** Returns a `MessageEvent`-shaped plain object, as `hono/ws` `createWSMessageEvent` does. */
export const createWSMessageEvent = <D>(data: D): { readonly type: 'message'; readonly data: D } => ({
  type: 'message',
  data,
})
