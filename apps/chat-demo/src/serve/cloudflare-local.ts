// Runs the Cloudflare entry locally in workerd through miniflare (offline): bundled from source, on PORT (3000).
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'

const out = await build({
  entryPoints: [fileURLToPath(new URL('./cloudflare.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  external: ['cloudflare:*'],
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  logLevel: 'error',
})
const port = Number(process.env.PORT ?? 3000)
const mf = new Miniflare({
  modules: true,
  script: out.outputFiles[0]!.text,
  compatibilityDate: '2026-04-26',
  host: '127.0.0.1',
  port,
  durableObjects: { ROOMS: 'ChatRoom' },
})
await mf.ready
console.log(`chat (workerd, one Durable Object per room) on http://localhost:${port}`)
const stop = async () => {
  await mf.dispose()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
