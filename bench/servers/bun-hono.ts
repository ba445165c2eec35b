// hono/bun, the helper Hono users have today. Pub/sub as Hono's Bun guide shows it: subscribe on the raw
// ServerWebSocket, publish with server.publish.
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
app.get(
  '/sub',
  upgradeWebSocket(() => ({
    onOpen: (_e, ws) => (ws.raw as import('bun').ServerWebSocket).subscribe('t'),
  }))
)
app.get(
  '/pub',
  upgradeWebSocket(() => ({
    onMessage: (e) => {
      server.publish('t', e.data as string | ArrayBuffer)
    },
  }))
)
const server = Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  fetch: app.fetch,
  websocket,
})
