import { Hono } from 'hono'
import { afterEach, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { createNodeWebSocket } from '../src/index.ts'
import { exchange, listen } from './helpers.ts'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

/** An app with a WebSocket route and a catch-all page, plus a second upgrade listener like a dev server's HMR. */
async function setup() {
  const app = new Hono()
  const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
  app.get(
    '/ws',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(`app:${e.data}`) }))
  )
  app.get('*', (c) => c.text('spa page'))
  const { server, port } = await listen(app)
  injectWebSocket(server)
  // Registered after ours, answers synchronously, as Vite's HMR server does.
  const hmr = new WebSocketServer({ noServer: true })
  hmr.on('connection', (ws) => ws.on('message', (d) => ws.send(`hmr:${d}`)))
  server.on('upgrade', (req, socket, head) => {
    if (req.headers['sec-websocket-protocol'] !== 'vite-hmr') return
    hmr.handleUpgrade(req, socket, head, (ws) => hmr.emit('connection', ws, req))
  })
  cleanup.push(() => {
    hmr.close()
    server.close()
  })
  return port
}

it('another upgrade listener on the same server keeps its own sockets', async () => {
  const port = await setup()
  const res = await exchange(`ws://127.0.0.1:${port}/`, 'ping', ['vite-hmr'])
  expect(res).toEqual({ reply: 'hmr:ping', protocol: 'vite-hmr' })
})

it('the app route still upgrades next to another upgrade listener', async () => {
  const port = await setup()
  expect((await exchange(`ws://127.0.0.1:${port}/ws`, 'hi')).reply).toBe('app:hi')
})

it('an upgrade the app does not take and no other listener takes gets the app answer', async () => {
  const port = await setup()
  expect(await exchange(`ws://127.0.0.1:${port}/elsewhere`, 'x')).toEqual({ status: 200, body: 'spa page' })
})

it('plain HTTP keeps working on the same server', async () => {
  const port = await setup()
  const res = await fetch(`http://127.0.0.1:${port}/page`)
  expect(await res.text()).toBe('spa page')
})
