// Conformance harness: serves the fixture app on PORT with @honokit/ws-node. Run by `pnpm conformance` twice (with
// --expose-gc, so the churn check measures memory after a collection): without an argument the @hono/node-ws wiring
// (`serve` from @hono/node-server + `injectWebSocket`), with `serve` the wiring of Hono's Node.js guide
// (`serve({ fetch, websocket: { server: new WebSocketServer({ noServer: true }) } })`, no injectWebSocket).
import { serve as honoServe } from '@hono/node-server'
import { createConformanceApp } from '@honokit/ws-conformance'
import { Hono } from 'hono'
import { WebSocketServer } from 'ws'
import { createNodeWebSocket, serve } from './src/index.ts'

const gc = (globalThis as { gc?: () => void }).gc
const memoryUsage = gc
  ? () => {
      gc()
      return process.memoryUsage().heapUsed
    }
  : undefined
// ws validates UTF-8 once a text message is complete (the RFC allows either).
const capabilities = {
  utf8FailFast: { supported: false, reason: 'ws checks UTF-8 once a text message is complete' },
} as const
const port = Number(process.env.PORT)
const hostname = '127.0.0.1'

const app = new Hono()
if (process.argv[2] === 'serve') {
  // Hono's guide wiring keeps the default perMessageDeflate: false (RF105 checks that nothing is negotiated).
  const helper = createNodeWebSocket()
  app.route('/', createConformanceApp(helper, { memoryUsage, capabilities }))
  const wss = new WebSocketServer({ noServer: true })
  serve({ fetch: app.fetch, port, hostname, websocket: { server: wss } })
} else {
  const helper = createNodeWebSocket({ app, perMessageDeflate: true })
  app.route(
    '/',
    createConformanceApp(helper, { memoryUsage, capabilities: { ...capabilities, perMessageDeflate: true } })
  )
  helper.injectWebSocket(honoServe({ fetch: app.fetch, port, hostname }))
}
