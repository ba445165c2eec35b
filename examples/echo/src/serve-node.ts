import { serve } from '@hono/node-server'
import { createNodeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import { createEchoApp } from './app.ts'

const app = new Hono()
const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
createEchoApp(app, upgradeWebSocket)

const port = Number(process.env.PORT ?? 3000)
injectWebSocket(serve({ fetch: app.fetch, port }, () => console.log(`echo demo on http://localhost:${port}`)))
