import {
  createConnection,
  defineWebSocketHelper,
  handshakeHeaders,
  type UpgradeWebSocket,
  type WSConnection,
  type WSContext,
  type WSEvents,
  type WSReadyState,
  type WSUpgradeOptions,
} from '@honokit/ws-core'
import { Context } from 'hono'
import { readAttachment, type SocketAttachment, saveAttachment } from './attachment.ts'
import {
  answerClose,
  type CloudflareWebSocketLike,
  createPair,
  type DurableObjectStateLike,
  switchingProtocols,
} from './cloudflare-like.ts'

type Socket = CloudflareWebSocketLike
type CreateEvents = (c: Context) => WSEvents<Socket> | Promise<WSEvents<Socket>>

/** Options of `upgradeWebSocket` inside a Durable Object. */
export interface DurableUpgradeOptions extends WSUpgradeOptions {
  /** Tags for `ctx.acceptWebSocket` (fixed for the socket's life, kept across hibernation), or a function of the request. */
  tags?: string[] | ((c: Context) => string[])
}

/** Options of `createDurableWebSocket`. */
export interface DurableWebSocketOptions {
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
  /** The contexts of this object's open sockets (optionally only those with `tag`), restored after a wake as needed. */
  connections(tag?: string): WSContext<Socket>[]
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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'
}

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
  const registry: CreateEvents[] = []
  const entries = new WeakMap<Socket, Entry>()

  if (options.autoResponse !== false && ctx.setWebSocketAutoResponse) {
    const Pair = (globalThis as { WebSocketRequestResponsePair?: new (req: string, res: string) => unknown })
      .WebSocketRequestResponsePair
    const { request, response } = options.autoResponse ?? { request: 'ping', response: 'pong' }
    if (Pair) ctx.setWebSocketAutoResponse(new Pair(request, response))
  }

  const connect = (ws: Socket, attachment: SocketAttachment, resumed: boolean): Entry => {
    const holder: WSEvents<Socket> = {}
    const conn = createConnection(holder, {
      raw: ws,
      url: attachment.u,
      protocol: attachment.p,
      data: attachment.d,
      resumed,
      readyState: () => ws.readyState as WSReadyState,
      send: (data) => ws.send(data),
      close: (code, reason) => ws.close(code, reason),
    })
    const entry: Entry = {
      conn,
      attachment,
      snapshot: JSON.stringify(attachment),
      setEvents(events) {
        // ws.data is saved after onOpen and onMessage return (or their promises settle), so it survives a wake.
        const save = () => {
          if (ws.readyState !== 1) return
          entry.snapshot = saveAttachment(ws, { ...attachment, d: conn.ws.data }, entry.snapshot)
        }
        const persisting = (name: 'onOpen' | 'onMessage') => {
          const fn = events[name] as ((evt: unknown, w: WSContext<Socket>) => unknown) | undefined
          if (!fn) return undefined
          return (evt: unknown, w: WSContext<Socket>) => {
            const r = fn.call(events, evt, w)
            if (!isThenable(r)) {
              save()
              return r
            }
            return Promise.resolve(r).then(
              (v) => {
                save()
                return v
              },
              (e) => {
                save()
                throw e
              }
            )
          }
        }
        Object.assign(holder, events, { onOpen: persisting('onOpen'), onMessage: persisting('onMessage') })
      },
    }
    entries.set(ws, entry)
    return entry
  }

  const inner = defineWebSocketHelper<Socket, DurableUpgradeOptions>((c, events, opts, { protocol, url }) => {
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
    }
    saveAttachment(server, attachment)
    const entry = connect(server, attachment, false)
    entry.setEvents(events)
    // Hibernatable sockets never fire `open`: the connection is open once the 101 is returned.
    setTimeout(() => entry.conn.open(), 0)
    return switchingProtocols(client, handshakeHeaders(c.res.headers, protocol))
  })

  const upgradeWebSocket = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') return (inner as (...a: unknown[]) => unknown)(...args)
    // The middleware form is registered in definition order, so a woken object (which builds its app the same
    // way) finds the createEvents of each restored socket again.
    const index = registry.push(args[0] as CreateEvents) - 1
    const tagged = {
      ...(args[1] as DurableUpgradeOptions | undefined),
      [HANDLER]: index,
    } as DurableUpgradeOptions
    return inner(args[0] as CreateEvents, tagged)
  }) as UpgradeWebSocket<Socket, DurableUpgradeOptions>

  /** The entry of a socket, restored from its attachment when this instance has not seen it yet. */
  const restore = (ws: Socket): Entry | undefined => {
    const known = entries.get(ws)
    if (known) return known
    const attachment = readAttachment(ws)
    if (!attachment) return undefined
    const entry = connect(ws, attachment, true)
    const createEvents = registry[attachment.h]
    if (!createEvents) {
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
      .then(() => createEvents(c))
      .then(
        (events) => entry.setEvents(events),
        (error) => {
          console.error('[honokit/ws] createEvents threw while restoring a socket after hibernation:', error)
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
      answerClose(ws, code, reason)
      when(ws, (e) => e.conn.close(code, reason, wasClean))
    },
    webSocketError(ws, error) {
      when(ws, (e) => {
        e.conn.error(error)
        // An oversized message ends the socket with only webSocketError (RUNTIME-NOTES W15): onClose still runs.
        if (ws.readyState === 3) e.conn.close(1006, error instanceof Error ? error.message : '', false)
      })
    },
    connections(tag) {
      const out: WSContext<Socket>[] = []
      for (const ws of ctx.getWebSockets(tag)) {
        const entry = ws.readyState === 1 ? restore(ws) : undefined
        if (entry) out.push(entry.conn.ws)
      }
      return out
    },
  }
}
