// The chat on Node: `npm run demo` starts this on http://localhost:3000 (HOST, PORT change it). With REDIS_URL set it is one instance of
// a cluster that shares rooms, presence and history through Redis.
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import { createChatApp } from '../app.ts'
import { DEFAULT_HOST, listeningLine } from '../listen.ts'

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
const hostname = env.HOST || DEFAULT_HOST
helper.injectWebSocket(
  serve({ fetch: app.fetch, port, hostname }, (info) =>
    console.log(listeningLine(hostname, info.port, scale ? ' (cluster mode, through Redis)' : ''))
  )
)
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    // One shutdown, whatever arrives meanwhile: Ctrl-C reaches this process both from the terminal and from
    // scripts/demo.mjs, which forwards it.
    if (stopping) return
    stopping = true
    console.log(`chat: ${signal}, closing every connection with 1001`)
    setTimeout(() => process.exit(1), 10_000).unref()
    // Members leave their rooms (presence) before the Redis connections close.
    await helper.shutdown()
    await scale?.close()
    process.exit(0)
  })
}
