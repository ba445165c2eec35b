// @honokit/ws-node: echo on /ws; /sub subscribes with ws.subscribe, /pub publishes with ws.publish.
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@honokit/ws-node'
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
injectWebSocket(serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }))
