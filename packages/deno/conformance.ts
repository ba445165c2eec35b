// Conformance harness: serves the fixture app on PORT with @honokit/ws-deno. Run by `pnpm conformance`.
import { createConformanceApp } from '@honokit/ws-conformance'
import { upgradeWebSocket } from './src/index.ts'

const app = createConformanceApp(upgradeWebSocket)
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, app.fetch)
