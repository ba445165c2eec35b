// @honokit/ws-bun: echo on /ws; /sub subscribes with ws.subscribe, /pub publishes with ws.publish (native underneath).
import { createBunWebSocket } from '@honokit/ws-bun'
import { Hono } from 'hono'

const { upgradeWebSocket, websocket } = createBunWebSocket()
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
    onOpen: (_e, ws) => ws.subscribe('t'),
  }))
)
app.get(
  '/pub',
  upgradeWebSocket(() => ({
    onMessage: (e, ws) => ws.publish('t', e.data as string | ArrayBuffer),
  }))
)
Bun.serve({ port: Number(process.env.PORT), hostname: '127.0.0.1', fetch: app.fetch, websocket })
