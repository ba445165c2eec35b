// Conformance harness: serves the fixture app on PORT with @honokit/ws-bun. Run by `pnpm conformance`.
import { createConformanceApp } from '@honokit/ws-conformance'
import { createBunWebSocket } from './src/index.ts'

const helper = createBunWebSocket({ perMessageDeflate: true })
const app = createConformanceApp(helper, {
  capabilities: {
    perMessageDeflate: true,
    utf8FailFast: { supported: false, reason: 'Bun checks UTF-8 once a text message is complete' },
    streamingPayloadLimit: {
      supported: false,
      reason:
        "Bun takes one maxPayloadLength per server (the helper's maxPayload): a route's lower maxPayload is checked " +
        'once the message is complete',
    },
    closeHandshakeReport: {
      supported: false,
      reason:
        'Bun runs its close handler as soon as the server calls close(), before the peer answers: onClose reports a ' +
        'server-initiated close as clean',
    },
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
