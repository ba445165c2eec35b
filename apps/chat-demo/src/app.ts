import type { UpgradeWebSocket, WSContext } from '@honokit/ws-core'
import { Hono } from 'hono'
import { type HistoryStore, memoryHistory } from './history.ts'
import { localPresence, type PresenceStore } from './presence.ts'
import { type ChatLine, checkJoin, LIMITS, parseClientMessage } from './protocol.ts'
import { FAVICON_HEADERS, favicon, page } from './ui.ts'

/** What the chat needs from a honokit helper instance, whatever the runtime. */
export interface ChatHelper {
  upgradeWebSocket: UpgradeWebSocket<any, any>
  publish(topic: string, data: string): void
  connections: Iterable<WSContext<any>>
}

const topicOf = (room: string) => `room:${room}`

/** Where the chat keeps its state: in this process by default, or shared by several instances (Redis). */
export interface ChatOptions {
  history?: HistoryStore
  presence?: PresenceStore
  /** Served as JSON at `/status` (the instance and its broker's state, in cluster mode). */
  status?: () => Record<string, unknown>
}

let connectionIds = 0

/**
 * The chat: a page at `/`, a WebSocket at `/ws?room=…&name=…`. Runtime-free: it takes the adapter's helper, so the
 * same app runs on Node, Bun, Deno and in a Durable Object. By default members are read from the live connections
 * (and so stay right after a Durable Object wakes); with shared stores several instances form one chat. Broadcast
 * goes through pub/sub (and the helper's broker, across instances).
 */
export function createChatApp(helper: ChatHelper, options: ChatOptions = {}): Hono {
  const history = options.history ?? memoryHistory()
  const presence = options.presence ?? localPresence(helper.connections)
  const app = new Hono()
  const members = (room: string) => presence.members(room)
  const send = (ws: WSContext<any>, value: unknown) => ws.send(JSON.stringify(value))
  const broadcast = (room: string, value: unknown) => helper.publish(topicOf(room), JSON.stringify(value))
  presence.watch?.((room, names, now) => {
    for (const name of names) broadcast(room, { type: 'presence', event: 'leave', name, members: now })
  })

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
      const taken = (await members(String(room))).includes(String(name).trim())
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
          broadcast(room, { type: 'presence', event: 'join', name, members: now })
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
          broadcast(String(ws.data.room), line)
        },
        async onClose(_evt, ws) {
          const r = String(ws.data.room)
          await presence.leave(r, String(ws.data.id))
          broadcast(r, {
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
