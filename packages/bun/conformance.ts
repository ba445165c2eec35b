// Conformance harness: serves the fixture app on PORT with @honokit/ws-bun. Run by `pnpm conformance`.
import { createConformanceApp } from '@honokit/ws-conformance'
import { upgradeWebSocket, websocket } from './src/index.ts'

const app = createConformanceApp(upgradeWebSocket)
Bun.serve({ port: Number(process.env.PORT), hostname: '127.0.0.1', fetch: app.fetch, websocket })
