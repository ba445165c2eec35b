// Conformance harness: serves the fixture app on PORT with @honokit/ws-node. Run by `pnpm conformance`.
import { serve } from '@hono/node-server'
import { createConformanceApp } from '@honokit/ws-conformance'
import { Hono } from 'hono'
import { createNodeWebSocket } from './src/index.ts'

const app = new Hono()
const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
app.route('/', createConformanceApp(upgradeWebSocket))
injectWebSocket(serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }))
