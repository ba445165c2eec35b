// The chat on Node: `npm run demo` starts this on http://localhost:3000.
import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import { createChatApp } from '../app.ts'

const app = new Hono()
const helper = createNodeWebSocket({ app })
app.route('/', createChatApp(helper))
const port = Number(process.env.PORT ?? 3000)
helper.injectWebSocket(
  serve({ fetch: app.fetch, port }, () => console.log(`chat on http://localhost:${port}`))
)
