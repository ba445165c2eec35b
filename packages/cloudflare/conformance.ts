// Conformance harness: serves the fixture app on PORT in workerd (through miniflare), either from the Worker
// (`worker`) or from a Durable Object with the hibernation API (`do`). Run by `pnpm conformance`.
import { fileURLToPath } from 'node:url'
import { serveWorker } from './test/miniflare.ts'

const mode = process.argv[2] === 'do' ? 'do' : 'worker'
await serveWorker(fileURLToPath(new URL('./conformance.worker.ts', import.meta.url)), {
  port: Number(process.env.PORT),
  bindings: { MODE: mode },
  durableObjects: { OBJECT: 'ConformanceObject' },
})
