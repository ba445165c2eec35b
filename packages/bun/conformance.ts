// Conformance harness: serves the fixture app on PORT with @honokit/ws-bun. Run by `pnpm conformance`.
import { createConformanceApp } from '@honokit/ws-conformance'
import { createBunWebSocket } from './src/index.ts'

const helper = createBunWebSocket()
const app = createConformanceApp(helper, {
  capabilities: {
    lateUpgradeHeaders: {
      supported: false,
      reason:
        'Bun writes the 101 inside server.upgrade(), which must run in the handler before the middleware after ' +
        '`await next()` does; set such headers before `await next()` on WebSocket routes',
    },
  },
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
