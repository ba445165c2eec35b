// The chat on Bun: `bun run src/serve/bun.ts`. With REDIS_URL set it is one instance of a cluster (see node.ts).
import { createBunWebSocket } from '@honokit/ws-bun'
import { createChatApp } from '../app.ts'
import { DEFAULT_HOST, listeningLine } from '../listen.ts'

const env = process.env
const scale = env.REDIS_URL
  ? await (await import('../scale-out.ts'))
      .connectScaleOut({
        url: env.REDIS_URL,
        waitMs: env.REDIS_WAIT_MS ? Number(env.REDIS_WAIT_MS) : undefined,
        ttlMs: env.PRESENCE_TTL_MS ? Number(env.PRESENCE_TTL_MS) : undefined,
        runtime: 'bun',
      })
      .catch((error: Error) => {
        console.error(`chat: ${error.message}`)
        process.exit(1)
      })
  : undefined
const helper = createBunWebSocket({ broker: scale?.broker })
const port = Number(env.PORT ?? 3000)
const hostname = env.HOST || DEFAULT_HOST
Bun.serve({
  port,
  hostname,
  fetch: createChatApp(helper, scale?.chat).fetch,
  websocket: helper.websocket,
})
console.log(listeningLine(hostname, port, scale ? ' (cluster mode, through Redis)' : ''))
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await helper.shutdown()
    await scale?.close()
    process.exit(0)
  })
}
