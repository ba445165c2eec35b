// A chat route written for a real adapter: the tests swap the adapter's module for @honokit/ws-testing.
import { upgradeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'

export const app = new Hono().get(
  '/chat/:room',
  upgradeWebSocket((c) => {
    const room = c.req.param('room') ?? 'lobby'
    const name = c.req.query('name') ?? 'anonymous'
    return {
      onOpen(_evt, ws) {
        ws.subscribe(room)
        ws.send(JSON.stringify({ type: 'welcome', room, name }))
      },
      onMessage(evt, ws) {
        const message = JSON.stringify({ type: 'message', name, text: String(evt.data) })
        ws.publish(room, message) // to everyone else in the room
        ws.send(message)
      },
    }
  })
)
