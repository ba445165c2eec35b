import type { UpgradeWebSocket, WSContext } from '@honokit/ws-core'
import { type Context, Hono } from 'hono'
import { type HistoryStore, memoryHistory } from './history.ts'
import { localPresence, type PresenceStore } from './presence.ts'
import { type ChatLine, checkJoin, LIMITS, parseClientMessage } from './protocol.ts'
import { FAVICON_HEADERS, favicon, page } from './ui.ts'

/**
 * What the chat needs from a honokit helper instance, whatever the runtime. `publish` and `connections` may be left
 * out when `rooms` gives each connection its own room's (Durable Objects).
 */
export interface ChatHelper {
  upgradeWebSocket: UpgradeWebSocket<any, any>
  publish?(topic: string, data: string): void
  connections?: Iterable<WSContext<any>>
}

/** One room as its connections' handlers see it: where they publish, who is in it, its history. */
export interface ChatRoomScope {
  publish(topic: string, data: string): void
  presence: PresenceStore
  history: HistoryStore
}

/**
 * Rooms that live apart from the app and from each other (a Durable Object per room; the Worker holds no socket):
 * `open` runs in the WebSocket handlers' `createEvents`, where the room lives; `members` answers the join check of
 * a plain GET, from where the app runs.
 */
export interface ChatRooms {
  open(c: Context, room: string): ChatRoomScope
  members(c: Context, room: string): Promise<string[]>
}

const topicOf = (room: string) => `room:${room}`

/** Where the chat keeps its state: in this process by default, or shared by several instances (Redis), or per room. */
export interface ChatOptions {
  history?: HistoryStore
  presence?: PresenceStore
  /** Served as JSON at `/status` (the instance and its broker's state, in cluster mode). */
  status?: () => Record<string, unknown>
  /** Each room on its own (Durable Objects): replaces the helper's `publish` and `connections` and the stores above. */
  rooms?: ChatRooms
}

let connectionIds = 0

/**
 * The chat: a page at `/`, a WebSocket at `/ws?room=…&name=…`. Runtime-free: it takes the adapter's helper, so the
 * same app runs on Node, Bun, Deno and on Workers. By default members are read from the live connections; with
 * shared stores several instances form one chat; with `rooms` each room lives on its own (a Durable Object per room,
 * its members from its own connections, also after it wakes). Broadcast goes through pub/sub (and the helper's
 * broker, across instances).
 */
export function createChatApp(helper: ChatHelper, options: ChatOptions = {}): Hono {
  const { rooms } = options
  const { publish, connections } = helper
  let shared: ChatRoomScope | undefined
  if (publish && connections) {
    shared = {
      publish: (topic, data) => publish.call(helper, topic, data),
      presence: options.presence ?? localPresence(connections),
      history: options.history ?? memoryHistory(),
    }
  } else if (!rooms) {
    throw new Error(
      "createChatApp(helper) needs the helper's `publish` and `connections`, or `rooms` in the options when each " +
        'room lives on its own (a Durable Object per room).'
    )
  }
  const scopeOf = (c: Context, room: string): ChatRoomScope => rooms?.open(c, room) ?? shared!
  const app = new Hono()
  const send = (ws: WSContext<any>, value: unknown) => ws.send(JSON.stringify(value))
  const broadcast = (scope: ChatRoomScope, room: string, value: unknown) =>
    scope.publish(topicOf(room), JSON.stringify(value))
  if (shared) {
    const scope = shared
    scope.presence.watch?.((room, names, now) => {
      for (const name of names)
        broadcast(scope, room, { type: 'presence', event: 'leave', name, members: now })
    })
  }

  app.get('/', (c) => c.html(page))
  app.get('/favicon.ico', (c) => c.body(favicon, 200, FAVICON_HEADERS))
  app.get('/favicon.svg', (c) => c.body(favicon, 200, FAVICON_HEADERS))
  app.get('/health', (c) => c.text('ok'))
  app.get('/status', (c) => c.json(options.status?.() ?? { mode: 'single instance' }))
  app.get(
    '/ws',
    async (c, next) => {
      const name = c.req.query('name')
      const room = c.req.query('room')
      const refused = checkJoin(name, room)
      // A browser never sees the body of a refused upgrade, so the page asks first with a plain GET of the same
      // URL and shows the answer: the same checks, plus a name already in use in the room.
      const upgrade = /websocket/i.test(c.req.header('upgrade') ?? '')
      if (refused) {
        const error = `Cannot join: ${refused}.`
        return upgrade ? c.text(error, 400) : c.json({ ok: false, error }, 400)
      }
      if (upgrade) return next()
      const names = rooms
        ? await rooms.members(c, String(room))
        : await shared!.presence.members(String(room))
      const taken = names.includes(String(name).trim())
      return taken
        ? c.json(
            {
              ok: false,
              error: `Cannot join: the name ${String(name).trim()} is taken in ${room}, pick another.`,
            },
            409
          )
        : c.json({ ok: true })
    },
    helper.upgradeWebSocket((c) => {
      const name = String(c.req.query('name')).trim()
      const room = String(c.req.query('room'))
      const scope = scopeOf(c, room)
      const { history, presence } = scope
      const members = (r: string) => presence.members(r)
      return {
        async onOpen(_evt, ws) {
          ws.data.name = name
          ws.data.room = room
          const id = `${Date.now().toString(36)}-${(++connectionIds).toString(36)}`
          ws.data.id = id
          ws.data.sent = []
          ws.data.strikes = 0
          ws.subscribe(topicOf(room))
          await presence.join(room, id, name)
          const [now, recent] = await Promise.all([members(room), history.recent(room)])
          send(ws, { type: 'welcome', you: name, room, members: now, history: recent })
          broadcast(scope, room, { type: 'presence', event: 'join', name, members: now })
        },
        async onMessage(evt, ws) {
          const parsed = parseClientMessage(evt.data)
          if ('error' in parsed) return send(ws, { type: 'error', error: parsed.error })
          const now = Date.now()
          const sent = (ws.data.sent as number[]).filter((t) => now - t < LIMITS.windowMs)
          if (sent.length >= LIMITS.burst) {
            ws.data.strikes = (ws.data.strikes as number) + 1
            if ((ws.data.strikes as number) >= LIMITS.strikes) return ws.close(1008, 'flooding')
            return send(ws, { type: 'error', error: `slow down: at most ${LIMITS.burst} messages per 5 s` })
          }
          ws.data.sent = [...sent, now]
          const line: ChatLine = { type: 'message', from: String(ws.data.name), text: parsed.text, at: now }
          await history.add(String(ws.data.room), line)
          broadcast(scope, String(ws.data.room), line)
        },
        async onClose(_evt, ws) {
          const r = String(ws.data.room)
          await presence.leave(r, String(ws.data.id))
          broadcast(scope, r, {
            type: 'presence',
            event: 'leave',
            name: String(ws.data.name),
            members: await members(r),
          })
        },
      }
    })
  )
  return app
}
