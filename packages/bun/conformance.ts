// Conformance harness: serves the fixture app on PORT with @honokit/ws-bun. Run by `pnpm conformance`.
import { createConformanceApp } from '@honokit/ws-conformance'
import { createBunWebSocket } from './src/index.ts'

const helper = createBunWebSocket()
const app = createConformanceApp(helper, {
  memoryUsage: () => {
    Bun.gc(true)
    return process.memoryUsage().heapUsed
  },
})
Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  fetch: app.fetch,
  websocket: helper.websocket,
})
