// Conformance harness: serves the fixture app on PORT with @honokit/ws-deno. Run by `pnpm conformance`
// (with --v8-flags=--expose-gc, so the churn check measures memory after a collection).
import { createConformanceApp } from '@honokit/ws-conformance'
import { createDenoWebSocket } from './src/index.ts'

const helper = createDenoWebSocket()
const gc = (globalThis as { gc?: () => void }).gc
const app = createConformanceApp(helper, {
  memoryUsage: gc
    ? () => {
        gc()
        return Deno.memoryUsage().heapUsed
      }
    : undefined,
})
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, app.fetch)
