import {
  defineWebSocketHelper,
  type UpgradeWebSocket,
  type WSEvents,
  type WSHub,
} from '@honokit/ws-core/adapter'
import type { Context } from 'hono'
import { type SocketAttachment, saveAttachment } from './attachment.ts'
import {
  type CloudflareWebSocketLike,
  createPair,
  type DurableObjectStateLike,
  switchingProtocols,
} from './cloudflare-like.ts'
import type { DurableUpgradeOptions } from './durable-object.ts'
import type { ConnectEntry } from './socket-entry.ts'

type Socket = CloudflareWebSocketLike
type CreateEvents = (c: Context) => WSEvents<Socket> | Promise<WSEvents<Socket>>

/** A middleware-form `upgradeWebSocket(createEvents, options)` of the helper, found again by its index after a wake. */
export interface RegisteredRoute {
  createEvents: CreateEvents
  options: DurableUpgradeOptions | undefined
  route: { open: number }
}

const HANDLER = Symbol('honokit.ws.handler')

/**
 * The `upgradeWebSocket` of a Durable Object: accepts each socket with `ctx.acceptWebSocket`, keeps its attachment,
 * and registers each middleware-form route in `registry`.
 */
export function durableUpgrade(o: {
  ctx: DurableObjectStateLike
  hub: WSHub
  registry: RegisteredRoute[]
  connect: ConnectEntry
}): UpgradeWebSocket<Socket, DurableUpgradeOptions> {
  const { ctx, hub, registry, connect } = o

  const inner = defineWebSocketHelper<Socket, DurableUpgradeOptions>((c, events, opts, upgrade) => {
    const { protocol, url } = upgrade
    const [client, server] = createPair()
    const tags = typeof opts?.tags === 'function' ? opts.tags(c) : opts?.tags
    ctx.acceptWebSocket(server, tags)
    const attachment: SocketAttachment = {
      v: 1,
      h: (opts as { [HANDLER]?: number } | undefined)?.[HANDLER] ?? -1,
      u: url,
      p: protocol,
      a: (c.req.param() as Record<string, string> | undefined) ?? {},
      d: {},
      t: [],
    }
    saveAttachment(server, attachment)
    const entry = connect(server, attachment, false, upgrade)
    entry.setEvents(events)
    // Hibernatable sockets never fire `open`: the connection is open once the 101 is returned.
    setTimeout(() => entry.conn.open(), 0)
    return switchingProtocols(client, upgrade.headers, hub.options.perMessageDeflate === true)
  }, hub)

  return ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') return (inner as (...a: unknown[]) => unknown)(...args)
    // The middleware form is registered in definition order, so a woken object (which builds its app the same
    // way) finds the createEvents of each restored socket again.
    const routeOptions = args[1] as DurableUpgradeOptions | undefined
    const index =
      registry.push({ createEvents: args[0] as CreateEvents, options: routeOptions, route: { open: 0 } }) - 1
    const withIndex = { ...routeOptions, [HANDLER]: index } as DurableUpgradeOptions
    return inner(args[0] as CreateEvents, withIndex)
  }) as UpgradeWebSocket<Socket, DurableUpgradeOptions>
}
