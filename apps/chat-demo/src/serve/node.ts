// The chat on Node: `npm run demo` starts this on http://localhost:3000. With REDIS_URL set it is one instance of
// a cluster that shares rooms, presence and history through Redis.
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import { createChatApp } from '../app.ts'

const env = process.env
const scale = env.REDIS_URL
  ? await (await import('../scale-out.ts'))
      .connectScaleOut({
        url: env.REDIS_URL,
        waitMs: env.REDIS_WAIT_MS ? Number(env.REDIS_WAIT_MS) : undefined,
        ttlMs: env.PRESENCE_TTL_MS ? Number(env.PRESENCE_TTL_MS) : undefined,
        runtime: 'node',
      })
      .catch((error: Error) => {
        console.error(`chat: ${error.message}`)
        process.exit(1)
      })
  : undefined
const app = new Hono()
const helper = createNodeWebSocket({ app, broker: scale?.broker })
app.route('/', createChatApp(helper, scale?.chat))
const port = Number(env.PORT ?? 3000)
helper.injectWebSocket(
  serve({ fetch: app.fetch, port, hostname: env.HOST }, () =>
    console.log(`chat on http://localhost:${port}${scale ? ' (cluster mode, through Redis)' : ''}`)
  )
)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    // Members leave their rooms (presence) before the Redis connections close.
    await helper.shutdown()
    await scale?.close()
    process.exit(0)
  })
}
