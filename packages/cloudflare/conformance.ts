// Conformance harness: serves the fixture app on PORT in workerd (through miniflare), either from the Worker
// (`worker`), from a Durable Object with the hibernation API (`do`), or from a Worker that forwards its WebSocket
// routes to a Durable Object with '@honokit/ws-cloudflare/durable' (`forward`). Run by `pnpm conformance`.
import { fileURLToPath } from 'node:url'
import { serveWorker } from './test/miniflare.ts'

const mode = process.argv[2] === 'do' || process.argv[2] === 'forward' ? process.argv[2] : 'worker'
await serveWorker(fileURLToPath(new URL('./conformance.worker.ts', import.meta.url)), {
  port: Number(process.env.PORT),
  bindings: { MODE: mode },
  durableObjects: { OBJECT: mode === 'forward' ? 'ForwardObject' : 'ConformanceObject' },
})
