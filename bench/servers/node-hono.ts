// @hono/node-ws, the helper Hono users have today. It has no pub/sub: subscribers are kept in a set and a publish
// is a send loop, as Hono's docs suggest.
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@hono/node-ws'
import { Hono } from 'hono'
import type { WSContext } from 'hono/ws'

const app = new Hono()
const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
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
injectWebSocket(serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }))
