// @honokit/ws-deno: echo on /ws; /sub subscribes with ws.subscribe, /pub publishes with ws.publish.
import { createDenoWebSocket } from '@honokit/ws-deno'
import { Hono } from 'hono'

const { upgradeWebSocket } = createDenoWebSocket()
const app = new Hono()
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
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, app.fetch)
