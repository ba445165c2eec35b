// The chat on Deno: `deno run --allow-net --allow-env=PORT,HOST src/serve/deno.ts`. With REDIS_URL set it is one
// instance of a cluster (see node.ts); node-redis then also reads REDIS_DEBUG_MAINTENANCE and REDIS_EMIT_DIAGNOSTICS,
// so allow those too (scripts/run-deno.mjs does).
import { createDenoWebSocket } from '@honokit/ws-deno'
import { createChatApp } from '../app.ts'
import { DEFAULT_HOST, listeningLine } from '../listen.ts'

// A variable the process may not read counts as unset, so `--allow-env=PORT,HOST` still runs one instance.
const env = (name: string) =>
  Deno.permissions.querySync({ name: 'env', variable: name }).state === 'granted'
    ? Deno.env.get(name)
    : undefined
const url = env('REDIS_URL')
const scale = url
  ? await (await import('../scale-out.ts'))
      .connectScaleOut({
        url,
        waitMs: env('REDIS_WAIT_MS') ? Number(env('REDIS_WAIT_MS')) : undefined,
        ttlMs: env('PRESENCE_TTL_MS') ? Number(env('PRESENCE_TTL_MS')) : undefined,
        runtime: 'deno',
      })
      .catch((error: Error) => {
        console.error(`chat: ${error.message}`)
        Deno.exit(1)
      })
  : undefined
const port = Number(env('PORT') ?? 3000)
const hostname = env('HOST') || DEFAULT_HOST
const helper = createDenoWebSocket({ broker: scale?.broker })
const server = Deno.serve(
  {
    port,
    hostname,
    onListen: () => console.log(listeningLine(hostname, port, scale ? ' (cluster mode, through Redis)' : '')),
  },
  createChatApp(helper, scale?.chat).fetch
)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, async () => {
    await helper.shutdown()
    await scale?.close()
    await server.shutdown()
    Deno.exit(0)
  })
}
