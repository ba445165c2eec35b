// Conformance harness: serves the fixture app on PORT with @honokit/ws-node. Run by `pnpm conformance`
// (with --expose-gc, so the churn check measures memory after a collection).
import { serve } from '@hono/node-server'
import { createConformanceApp } from '@honokit/ws-conformance'
import { Hono } from 'hono'
import { createNodeWebSocket } from './src/index.ts'

const gc = (globalThis as { gc?: () => void }).gc
const app = new Hono()
const helper = createNodeWebSocket({ app })
app.route(
  '/',
  createConformanceApp(helper, {
    memoryUsage: gc
      ? () => {
          gc()
          return process.memoryUsage().heapUsed
        }
      : undefined,
  })
)
helper.injectWebSocket(serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }))
