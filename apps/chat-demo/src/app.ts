import type { UpgradeWebSocket, WSContext } from '@honokit/ws-core'
import { Hono } from 'hono'
import { type HistoryStore, memoryHistory } from './history.ts'
import { type ChatLine, checkJoin, LIMITS, parseClientMessage } from './protocol.ts'
import { page } from './ui.ts'

/** What the chat needs from a honokit helper instance, whatever the runtime. */
export interface ChatHelper {
  upgradeWebSocket: UpgradeWebSocket<any, any>
  publish(topic: string, data: string): void
  connections: Iterable<WSContext<any>>
}

const topicOf = (room: string) => `room:${room}`

/**
 * The chat: a page at `/`, a WebSocket at `/ws?room=…&name=…`. Runtime-free: it takes the adapter's helper, so the
 * same app runs on Node, Bun, Deno and in a Durable Object. Members are read from the live connections (and so stay
 * right after a Durable Object wakes); broadcast goes through pub/sub.
 */
export function createChatApp(helper: ChatHelper, options: { history?: HistoryStore } = {}): Hono {
  const history = options.history ?? memoryHistory()
  const app = new Hono()
  const members = (room: string) =>
    [
      ...new Set(
        [...helper.connections]
          .filter((ws) => ws.readyState === 1 && ws.data.room === room)
          .map((ws) => String(ws.data.name))
      ),
    ].sort()
  const send = (ws: WSContext<any>, value: unknown) => ws.send(JSON.stringify(value))
  const broadcast = (room: string, value: unknown) => helper.publish(topicOf(room), JSON.stringify(value))

  app.get('/', (c) => c.html(page))
  app.get('/health', (c) => c.text('ok'))
  app.get(
    '/ws',
    (c, next) => {
      const refused = checkJoin(c.req.query('name'), c.req.query('room'))
      return refused ? c.text(`Cannot join: ${refused}.`, 400) : next()
    },
    helper.upgradeWebSocket((c) => {
      const name = String(c.req.query('name')).trim()
      const room = String(c.req.query('room'))
      return {
        async onOpen(_evt, ws) {
          ws.data.name = name
          ws.data.room = room
          ws.data.sent = []
          ws.data.strikes = 0
          ws.subscribe(topicOf(room))
          send(ws, {
            type: 'welcome',
            you: name,
            room,
            members: members(room),
            history: await history.recent(room),
          })
          broadcast(room, { type: 'presence', event: 'join', name, members: members(room) })
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
        onClose(_evt, ws) {
          const r = String(ws.data.room)
          broadcast(r, { type: 'presence', event: 'leave', name: String(ws.data.name), members: members(r) })
        },
      }
    })
  )
  return app
}
