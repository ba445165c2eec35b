// Echo with hono/bun, the helper Hono users have today, for comparison.
import { Hono } from 'hono'
import { upgradeWebSocket, websocket } from 'hono/bun'

const app = new Hono()
app.get('/health', (c) => c.text('ok'))
app.get('/gc', (c) => {
  Bun.gc(true)
  return c.text('collected')
})
app.get(
  '/ws',
  upgradeWebSocket(() => ({
    onMessage: (e, ws) => ws.send(e.data as string | ArrayBuffer),
  }))
)
Bun.serve({ port: Number(process.env.PORT), hostname: '127.0.0.1', fetch: app.fetch, websocket })
