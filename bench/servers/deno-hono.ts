// hono/deno, the helper Hono users have today. It has no pub/sub: subscribers are kept in a set and a publish is a
// send loop.
import { Hono } from 'hono'
import { upgradeWebSocket } from 'hono/deno'
import type { WSContext } from 'hono/ws'

const app = new Hono()
const subscribers = new Set<WSContext>()
app.get('/health', (c) => c.text('ok'))
app.get('/gc', (c) => {
  ;(globalThis as { gc?: () => void }).gc?.()
  return c.text('collected')
})
app.get(
  '/ws',
  upgradeWebSocket(() => ({
    onMessage: (e, ws) => ws.send(e.data as string | ArrayBuffer),
  }))
)
app.get(
  '/sub',
  upgradeWebSocket(() => {
    let me: WSContext | undefined
    return {
      onOpen: (_e, ws) => {
        me = ws
        subscribers.add(ws)
      },
      onClose: () => {
        if (me) subscribers.delete(me)
      },
    }
  })
)
app.get(
  '/pub',
  upgradeWebSocket(() => ({
    onMessage: (e) => {
      for (const s of subscribers) s.send(e.data as string | ArrayBuffer)
    },
  }))
)
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, app.fetch)
