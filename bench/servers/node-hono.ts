// Echo with @hono/node-ws, the helper Hono users have today, for comparison.
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@hono/node-ws'
import { Hono } from 'hono'

const app = new Hono()
const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
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
injectWebSocket(serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }))
