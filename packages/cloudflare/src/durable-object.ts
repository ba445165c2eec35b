import {
  connectSocket,
  createWebSocketHub,
  defineWebSocketHelper,
  type ResolvedLimits,
  type UpgradeWebSocket,
  type WSConnection,
  type WSConnections,
  type WSContext,
  type WSEvents,
  type WSHubOptions,
  type WSSendData,
  type WSUpgradeOptions,
} from '@honokit/ws-core/adapter'
import { Context } from 'hono'
import { readAttachment, type SocketAttachment, saveAttachment } from './attachment.ts'
import {
  answerClose,
  type CloudflareWebSocketLike,
  createPair,
  type DurableObjectStateLike,
  failureOf,
  switchingProtocols,
  transport,
} from './cloudflare-like.ts'
import { durableTopics } from './durable-topics.ts'
import { persistingEvents } from './persisting-events.ts'
import { WORKERD_LIMITS } from './runtime-limits.ts'

type Socket = CloudflareWebSocketLike
type CreateEvents = (c: Context) => WSEvents<Socket> | Promise<WSEvents<Socket>>

/** Options of `upgradeWebSocket` inside a Durable Object. */
export interface DurableUpgradeOptions extends WSUpgradeOptions {
  /** Tags for `ctx.acceptWebSocket` (fixed for the socket's life, kept across hibernation), or a function of the request. */
  tags?: string[] | ((c: Context) => string[])
}

/** Options of `createDurableWebSocket`: the object's limits and broker, plus the hibernation settings. */
export interface DurableWebSocketOptions extends WSHubOptions {
  /**
   * A text message workerd answers itself, without waking the object (default `ping` → `pong`); `false` turns it off.
   */
  autoResponse?: false | { request: string; response: string }
  /** `c.env` of the contexts rebuilt after a wake (usually the object's `this.env`). */
  env?: unknown
}

/** WebSockets inside one Durable Object, on the hibernation API. */
export interface DurableWebSocket {
  /** The same `upgradeWebSocket` as everywhere; sockets are accepted with `ctx.acceptWebSocket`. */
  upgradeWebSocket: UpgradeWebSocket<Socket, DurableUpgradeOptions>
  /** Call from the object's `webSocketMessage`. */
  webSocketMessage(ws: Socket, message: string | ArrayBuffer): void
  /** Call from the object's `webSocketClose`. */
  webSocketClose(ws: Socket, code: number, reason: string, wasClean: boolean): void
  /** Call from the object's `webSocketError`. */
  webSocketError(ws: Socket, error: unknown): void
  /** This object's open connections (count and iteration), restored after a wake as needed. */
  connections: WSConnections
  /** The contexts of the open sockets accepted with `tag`. */
  tagged(tag: string): WSContext<Socket>[]
  /** Sends `data` to every socket of this object subscribed to `topic` (by `ws.subscribe` or by a tag). */
  publish(topic: string, data: WSSendData): void
  /** Closes every socket with 1001, refuses new ones, resolves once every `onClose` has run. */
  shutdown(options?: { code?: number; reason?: string }): Promise<void>
}

interface Registered {
  createEvents: CreateEvents
  options: DurableUpgradeOptions | undefined
  route: { open: number }
}

interface Entry {
  conn: WSConnection<Socket>
  attachment: SocketAttachment
  snapshot: string
  /** Set while the handlers of a restored socket are being rebuilt: what arrived meanwhile, in order. */
  waiting?: (() => void)[]
  setEvents(events: WSEvents<Socket>): void
}

const HANDLER = Symbol('honokit.ws.handler')

/**
 * WebSockets for a Durable Object with the hibernation API: the same `WSEvents` and `WSContext` as in a Worker. Each
 * socket keeps its url, protocol, route parameters and `ws.data` in its attachment; after the object is evicted and
 * woken, `createEvents` runs again with a context rebuilt from them (no request headers: keep what you need from
 * them in `ws.data`), and `onOpen` does not repeat.
 * @example
 * export class Room extends DurableObject {
 *   sockets = createDurableWebSocket(this.ctx, { env: this.env })
 *   app = new Hono().get('/ws', this.sockets.upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) })))
 *   fetch(req: Request) { return this.app.fetch(req, this.env) }
 *   webSocketMessage(ws: WebSocket, m: string | ArrayBuffer) { this.sockets.webSocketMessage(ws, m) }
 *   webSocketClose(ws: WebSocket, code: number, reason: string, clean: boolean) { this.sockets.webSocketClose(ws, code, reason, clean) }
 *   webSocketError(ws: WebSocket, error: unknown) { this.sockets.webSocketError(ws, error) }
 * }
 */
export function createDurableWebSocket(
  ctx: DurableObjectStateLike,
  options: DurableWebSocketOptions = {}
): DurableWebSocket {
  const { autoResponse, env, ...hubOptions } = options
  const hub = createWebSocketHub(hubOptions, {
    ...WORKERD_LIMITS,
    optionNames: { helper: ['autoResponse', 'env'], route: ['tags'] },
  })
  const registry: Registered[] = []
  const directRoute = { open: 0 }
  const entries = new WeakMap<Socket, Entry>()
  const isOpen = (ws: Socket) => ws.readyState === 1

  if (autoResponse !== false && ctx.setWebSocketAutoResponse) {
    const Pair = (globalThis as { WebSocketRequestResponsePair?: new (req: string, res: string) => unknown })
      .WebSocketRequestResponsePair
    const { request, response } = autoResponse ?? { request: 'ping', response: 'pong' }
    if (Pair) ctx.setWebSocketAutoResponse(new Pair(request, response))
  }

  const save = (ws: Socket, entry: Entry) => {
    if (ws.readyState !== 1) return
    entry.snapshot = saveAttachment(ws, { ...entry.attachment, d: entry.conn.ws.data }, entry.snapshot)
  }

  hub.useNativePubSub(
    durableTopics({
      ctx,
      isOpen,
      entryOf: (member) => entries.get(member.ws.raw as Socket),
      restore: (ws) => restore(ws),
      save,
    })
  )

  const connect = (
    ws: Socket,
    attachment: SocketAttachment,
    resumed: boolean,
    upgrade: { limits: ResolvedLimits; route: { open: number } }
  ): Entry => {
    const holder: WSEvents<Socket> = {}
    const conn = connectSocket(
      holder,
      transport,
      ws,
      { url: attachment.u, protocol: attachment.p, hub, limits: upgrade.limits, route: upgrade.route },
      { data: attachment.d, resumed }
    )
    const entry: Entry = {
      conn,
      attachment,
      snapshot: JSON.stringify(attachment),
      setEvents(events) {
        // ws.data is saved after onOpen and onMessage return (or their promises settle), so it survives a wake.
        Object.assign(
          holder,
          persistingEvents(events, () => save(ws, entry))
        )
      },
    }
    entries.set(ws, entry)
    return entry
  }

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

  const upgradeWebSocket = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') return (inner as (...a: unknown[]) => unknown)(...args)
    // The middleware form is registered in definition order, so a woken object (which builds its app the same
    // way) finds the createEvents of each restored socket again.
    const routeOptions = args[1] as DurableUpgradeOptions | undefined
    const index =
      registry.push({ createEvents: args[0] as CreateEvents, options: routeOptions, route: { open: 0 } }) - 1
    const withIndex = { ...routeOptions, [HANDLER]: index } as DurableUpgradeOptions
    return inner(args[0] as CreateEvents, withIndex)
  }) as UpgradeWebSocket<Socket, DurableUpgradeOptions>

  /** The entry of a socket, restored from its attachment when this instance has not seen it yet. */
  const restore = (ws: Socket): Entry | undefined => {
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

  function* openContexts(): Generator<WSContext<Socket>> {
    for (const ws of ctx.getWebSockets()) {
      const entry = isOpen(ws) ? restore(ws) : undefined
      if (entry && entry.conn.ws.readyState < 2) yield entry.conn.ws
    }
  }

  const when = (ws: Socket, action: (entry: Entry) => void) => {
    const entry = restore(ws)
    if (!entry) return
    if (entry.waiting) entry.waiting.push(() => action(entry))
    else action(entry)
  }

  return {
    upgradeWebSocket,
    webSocketMessage(ws, message) {
      when(ws, (e) => e.conn.message(message))
    },
    webSocketClose(ws, code, reason, wasClean) {
      answerClose(ws, code, reason, wasClean)
      when(ws, (e) => e.conn.closed(code, reason, wasClean))
    },
    webSocketError(ws, error) {
      when(ws, (e) => {
        e.conn.error(error)
        // A bad frame or an oversized message ends the socket with only webSocketError (RUNTIME-NOTES W15, issue 12):
        // onClose still runs, with the code workerd sent.
        const failure = failureOf(error)
        if (failure) e.conn.closedBy(failure)
        else if (ws.readyState === 3) e.conn.closed(1006, error instanceof Error ? error.message : '', false)
      })
    },
    connections: {
      // Open as the app sees it: accepted, restored as needed, and onClose not yet run (workerd may still list a
      // socket whose closing handshake core has finished).
      get size() {
        let n = 0
        for (const _ of openContexts()) n++
        return n
      },
      [Symbol.iterator]: openContexts,
    },
    tagged(tag) {
      const out: WSContext<Socket>[] = []
      for (const ws of ctx.getWebSockets(tag)) {
        const entry = isOpen(ws) ? restore(ws) : undefined
        if (entry) out.push(entry.conn.ws)
      }
      return out
    },
    publish: (topic, data) => hub.publish(topic, data),
    shutdown(o) {
      // Sockets this instance has not seen since a wake must be known to the hub to be closed and awaited.
      for (const ws of ctx.getWebSockets()) if (isOpen(ws)) restore(ws)
      return hub.shutdown(o)
    },
  }
}
