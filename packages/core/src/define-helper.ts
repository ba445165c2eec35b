import type { Context, Next } from 'hono'
import { checkCapacity, checkOrigin, refuseUnsupported } from './admission.ts'
import { checkHandshake, isWebSocketUpgrade, selectProtocol, upgradeRequired } from './handshake.ts'
import { createWebSocketHub } from './hub.ts'
import type { WSHub } from './hub-types.ts'
import { validateLimits } from './options.ts'
import { refusalResponse, type WSRefusal } from './refusal.ts'
import { checkOptionNames, LIMIT_NAMES, ROUTE_ONLY_NAMES, warnOnce, warnUnits } from './settings-check.ts'
import { isThenable } from './thenable.ts'
import type { UpgradeWebSocket, WebSocketHelperDefineHandler, WSEvents, WSUpgradeOptions } from './types.ts'
import { AcceptedUpgrade } from './upgrade.ts'

type CreateEvents<T> = (c: Context) => WSEvents<T> | Promise<WSEvents<T>>

type Outcome = Response | undefined

function refuse(hub: WSHub, c: Context, r: WSRefusal): Response {
  r.url = c.req.url
  hub.refused(r)
  return refusalResponse(r)
}

/**
 * Checks an upgrade request and runs the adapter: the refusal, the adapter's response, or `undefined` when the
 * adapter could not upgrade. Order: handshake (400/426), origin (403), capacity (503), subprotocol (400), events.
 * Synchronous when `createEvents` and the adapter are (Bun's and Deno's upgrade): no promise or microtask per upgrade.
 */
function upgrade<T, U>(
  handler: WebSocketHelperDefineHandler<T, U>,
  hub: WSHub,
  route: { open: number },
  c: Context,
  createEvents: CreateEvents<T>,
  options: U | undefined
): Outcome | Promise<Outcome> {
  const bad = checkHandshake(c.req.raw)
  if (bad) return refuse(hub, c, bad)
  const routeOptions = options as WSUpgradeOptions | undefined
  const limits = hub.limitsFor(routeOptions)
  const denied = checkOrigin(c, limits) ?? checkCapacity(hub, route, limits)
  if (denied) return refuse(hub, c, denied)
  const protocol = selectProtocol(c, routeOptions)
  if (typeof protocol !== 'string') return refuse(hub, c, protocol)
  const accept = (events: WSEvents<T>): Outcome | Promise<Outcome> => {
    const accepted = new AcceptedUpgrade<T>(c, events, protocol, c.req.url, limits, hub, route)
    const res = handler(c, events, options, accepted)
    return isThenable(res) ? Promise.resolve(res).then((r) => r || undefined) : res || undefined
  }
  const events = createEvents(c)
  return isThenable(events) ? Promise.resolve(events).then(accept) : accept(events)
}

/**
 * Warns once when the middleware runs on a route registered for another method than GET (`app.post('/ws', …)`):
 * a handshake is always a GET, so such a route never upgrades and the browser's GET gets a silent 404.
 */
function warnNotGet(c: Context, self: unknown, hub: WSHub): void {
  let route: { method: string; path: string } | undefined
  try {
    route = c.req.matchedRoutes.find((r) => r.handler === self)
  } catch {
    return
  }
  if (!route || route.method === 'GET' || route.method === 'ALL') return
  warnOnce(
    hub.logger,
    `upgradeWebSocket() is registered with app.${route.method.toLowerCase()}('${route.path}'): a WebSocket ` +
      `handshake is always a GET request, so this route never upgrades. Register it with app.get('${route.path}', …).`
  )
}

/**
 * Creates an adapter's `upgradeWebSocket` from the runtime-specific part, with the policy applied once for every
 * runtime: `Upgrade`/`Connection` read case-insensitively as token lists; not an upgrade → `next()` in the middleware
 * form and `426` in the direct form; bad key → `400`; unsupported version → `426`; origin → `403`; capacity → `503`;
 * subprotocol chosen. `hub` is the helper instance's state (connections, topics, limits); one is made when omitted.
 * @example
 * export const upgradeWebSocket = defineWebSocketHelper<RawSocket, Options>((c, events, options, upgrade) => {
 *   // perform the runtime upgrade, then const conn = upgrade.connect(raw) and report the socket's events to conn
 * })
 */
export const defineWebSocketHelper = <T = unknown, U = any>(
  handler: WebSocketHelperDefineHandler<T, U>,
  hub: WSHub = createWebSocketHub()
): UpgradeWebSocket<T, U> => {
  const directRoute = { open: 0 }
  // The runtime's own option names mapped onto the common ones first (Deno's `protocol`), then checked.
  const prepare = <O>(options: O): O => {
    const route = (hub.runtime.routeOptions?.(options, hub.logger) ?? options) as WSUpgradeOptions | undefined
    const names = [...LIMIT_NAMES, ...ROUTE_ONLY_NAMES, ...(hub.runtime.optionNames?.route ?? [])]
    checkOptionNames(route, names, 'upgradeWebSocket options')
    validateLimits(route)
    warnUnits(route, hub.logger, 'upgradeWebSocket options')
    refuseUnsupported(route, hub.runtime.unsupported)
    // Runtimes that read with a native limit (Node, Bun) enforce the helper's; a larger route value would mean
    // something else there than on the others, so it is refused everywhere.
    const helperMax = hub.limits.maxPayload
    if (route?.maxPayload !== undefined && route.maxPayload > helperMax) {
      throw new RangeError(
        `maxPayload ${route.maxPayload} on a route is above its helper's ${helperMax}: a route may only lower it. ` +
          'Raise maxPayload on the helper (createNodeWebSocket / createBunWebSocket / … options) instead.'
      )
    }
    return route as O
  }
  return ((...args: unknown[]) => {
    if (typeof args[0] === 'function') {
      const [createEvents, given] = args as [CreateEvents<T>, U | undefined]
      const options = prepare(given)
      const route = { open: 0 }
      // Always a promise, as Hono's MiddlewareHandler type says (wrappers may call .then on it); the upgrade inside
      // awaits nothing when createEvents and the adapter are synchronous.
      return function upgradeWebSocket(c: Context, next: Next): Promise<Outcome> {
        if (c.req.method !== 'GET') warnNotGet(c, upgradeWebSocket, hub)
        if (!isWebSocketUpgrade(c.req.raw)) return next().then(() => undefined)
        // Nothing accepted it (the adapter declined): the next handler answers.
        const orNext = (res: Outcome) => res ?? next().then(() => undefined)
        try {
          const res = upgrade(handler, hub, route, c, createEvents, options)
          return isThenable(res) ? Promise.resolve(res).then(orNext) : Promise.resolve(orNext(res))
        } catch (error) {
          return Promise.reject(error)
        }
      }
    }
    const [c, events, given] = args as [Context, WSEvents<T>, U | undefined]
    return (async () => {
      const options = prepare(given)
      if (!isWebSocketUpgrade(c.req.raw)) return upgradeRequired()
      const res = await upgrade(handler, hub, directRoute, c, () => events, options)
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
