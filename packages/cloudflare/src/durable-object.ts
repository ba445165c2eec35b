import {
  createWebSocketHub,
  type UpgradeWebSocket,
  type WSConnections,
  type WSContext,
  type WSHubOptions,
  type WSSendData,
  type WSUpgradeOptions,
} from '@honokit/ws-core/adapter'
import type { Context } from 'hono'
import {
  answerClose,
  type CloudflareWebSocketLike,
  type DurableObjectStateLike,
  failureOf,
} from './cloudflare-like.ts'
import { durableTopics } from './durable-topics.ts'
import { durableUpgrade, type RegisteredRoute } from './durable-upgrade.ts'
import { hibernationRestore } from './hibernation-restore.ts'
import { WORKERD_LIMITS } from './runtime-limits.ts'
import { entryConnector, type SocketEntry, saveEntry } from './socket-entry.ts'

type Socket = CloudflareWebSocketLike

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
  const registry: RegisteredRoute[] = []
  const directRoute = { open: 0 }
  const entries = new WeakMap<Socket, SocketEntry>()
  const isOpen = (ws: Socket) => ws.readyState === 1

  if (autoResponse !== false && ctx.setWebSocketAutoResponse) {
    const Pair = (globalThis as { WebSocketRequestResponsePair?: new (req: string, res: string) => unknown })
      .WebSocketRequestResponsePair
    const { request, response } = autoResponse ?? { request: 'ping', response: 'pong' }
    if (Pair) ctx.setWebSocketAutoResponse(new Pair(request, response))
  }

  const connect = entryConnector(hub, entries)
  const { restore, when } = hibernationRestore({ hub, entries, registry, directRoute, connect, options })

  hub.useNativePubSub(
    durableTopics({
      ctx,
      isOpen,
      entryOf: (member) => entries.get(member.ws.raw as Socket),
      restore,
      save: saveEntry,
    })
  )

  const upgradeWebSocket = durableUpgrade({ ctx, hub, registry, connect })

  function* openContexts(): Generator<WSContext<Socket>> {
    for (const ws of ctx.getWebSockets()) {
      const entry = isOpen(ws) ? restore(ws) : undefined
      if (entry && entry.conn.ws.readyState < 2) yield entry.conn.ws
    }
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
