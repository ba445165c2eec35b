import type { WSHub } from '@honokit/ws-core/adapter'
import { Context } from 'hono'
import { readAttachment } from './attachment.ts'
import type { CloudflareWebSocketLike } from './cloudflare-like.ts'
import type { DurableWebSocketOptions } from './durable-object.ts'
import type { RegisteredRoute } from './durable-upgrade.ts'
import type { ConnectEntry, SocketEntry } from './socket-entry.ts'

type Socket = CloudflareWebSocketLike

/**
 * Finds the entries of sockets again after the object wakes from hibernation: `restore` rebuilds an entry from the
 * socket's attachment and its route's `createEvents`; `when` runs an event once those handlers are in place.
 */
export function hibernationRestore(o: {
  hub: WSHub
  entries: WeakMap<Socket, SocketEntry>
  registry: RegisteredRoute[]
  directRoute: { open: number }
  connect: ConnectEntry
  options: DurableWebSocketOptions
}) {
  const { hub, entries, registry, directRoute, connect, options } = o

  /** The entry of a socket, restored from its attachment when this instance has not seen it yet. */
  const restore = (ws: Socket): SocketEntry | undefined => {
    const known = entries.get(ws)
    if (known) return known
    const attachment = readAttachment(ws)
    if (!attachment) return undefined
    const registered = registry[attachment.h]
    attachment.t ??= []
    const limits = hub.limitsFor(registered?.options)
    const entry = connect(ws, attachment, true, { limits, route: registered?.route ?? directRoute })
    for (const topic of attachment.t) entry.conn.ws.subscribe(topic)
    if (!registered) {
      // Handlers given directly (the direct form) cannot be found again after a wake.
      ws.close(1012, 'handlers cannot be restored after hibernation: use upgradeWebSocket(createEvents)')
      return entry
    }
    entry.waiting = []
    const c = new Context(new Request(attachment.u, { headers: { upgrade: 'websocket' } }), {
      env: options.env,
    })
    // The rebuilt request never went through the router: answer c.req.param() from the saved parameters.
    ;(c.req as { param: unknown }).param = (key?: string) =>
      key === undefined ? { ...attachment.a } : attachment.a[key]
    Promise.resolve()
      .then(() => registered.createEvents(c))
      .then(
        (events) => entry.setEvents(events),
        (error) => {
          hub.logger.error(
            '[honokit/ws] createEvents threw while restoring a socket after hibernation:',
            error
          )
          ws.close(1011, 'Internal Error')
        }
      )
      .finally(() => {
        const waiting = entry.waiting ?? []
        entry.waiting = undefined
        for (const run of waiting) run()
      })
    return entry
  }

  const when = (ws: Socket, action: (entry: SocketEntry) => void) => {
    const entry = restore(ws)
    if (!entry) return
    if (entry.waiting) entry.waiting.push(() => action(entry))
    else action(entry)
  }

  return { restore, when }
}
