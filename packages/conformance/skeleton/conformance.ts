// The skeleton's conformance harness: serves the fixture app on PORT (plain HTTP through @hono/node-server, upgrades
// through the skeleton). `pnpm conformance` runs it with --expose-gc, so the churn check measures memory after a GC.
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createConformanceApp } from '@honokit/ws-conformance'
import { createSkeletonWebSocket } from './src/index.ts'

const gc = (globalThis as { gc?: () => void }).gc
const helper = createSkeletonWebSocket()
const memoryUsage = gc
  ? () => {
      gc()
      return process.memoryUsage().heapUsed
    }
  : undefined
const app = createConformanceApp(helper, {
  memoryUsage,
  capabilities: {
    utf8FailFast: { supported: false, reason: 'ws checks UTF-8 once a text message is complete' },
  },
})
helper.attach(
  serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }) as Server,
  app
)
