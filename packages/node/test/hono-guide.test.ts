import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serve as honoServe } from '@hono/node-server'
import { startServer } from '@honokit/ws-conformance/runner'
import { Hono } from 'hono'
import { afterEach, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { createNodeWebSocket, serve, upgradeWebSocket } from '../src/index.ts'
import { exchange } from './helpers.ts'

const fixture = fileURLToPath(new URL('./fixtures/hono-guide-app.ts', import.meta.url))

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

/** Our `serve` with a `ws` server, as Hono's guide wires it, on a free port of 127.0.0.1. */
async function serveWithWss(app: Hono) {
  const wss = new WebSocketServer({ noServer: true })
  const port = await new Promise<number>((resolve) => {
    const server = serve(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: wss } },
      (info) => resolve(info.port)
    )
    cleanup.push(() => server.close())
  })
  return { wss, port }
}

it("the WebSocket example of Hono's Node.js guide runs with only its import line changed", async () => {
  const source = readFileSync(fixture, 'utf8')
  expect(source.match(/^import \{ serve, upgradeWebSocket \} from '@honokit\/ws-node'$/m)).not.toBeNull()
  expect(source).not.toMatch(/from '@hono\/node-server'|injectWebSocket/)
  const server = await startServer([process.execPath, '--import', 'tsx', fixture], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    readyPath: '/',
  })
  try {
    expect(await exchange(`ws://127.0.0.1:${server.port}/ws`, 'hello')).toEqual({
      reply: 'hello',
      protocol: '',
    })
    // A refusal of core (an Origin that is not the server's own) arrives as the app's answer, not a hang.
    const refused = await new Promise<number | undefined>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { origin: 'http://evil.test' })
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode))
      ws.on('open', () => reject(new Error('a foreign origin was upgraded')))
    })
    expect(refused).toBe(403)
  } finally {
    await server.stop()
  }
})

it('the ws server given to serve() sees each connection, and the instance API sees it too', async () => {
  const app = new Hono()
  const { upgradeWebSocket, connections, shutdown } = createNodeWebSocket({ maxPayload: 64 })
  app.get(
    '/ws',
    upgradeWebSocket(() => ({
      onMessage: (e, ws) => ws.send(`size:${String(e.data).length}`),
      onError: () => {},
    }))
  )
  const { wss, port } = await serveWithWss(app)
  const seen: unknown[] = []
  wss.on('connection', (ws) => seen.push(ws))
  const client = new WebSocket(`ws://127.0.0.1:${port}/ws`)
  const closed = new Promise<number>((resolve) => client.on('close', (code) => resolve(code)))
  await new Promise((resolve) => client.on('open', resolve))
  expect(seen).toHaveLength(1)
  expect(connections.size).toBe(1)
  // Over the helper's maxPayload of 64 bytes: ws refuses it while reading.
  client.send('x'.repeat(65))
  expect(await closed).toBe(1009)
  await shutdown()
})

it('a plain GET to an upgrade route falls through to the next handler', async () => {
  const app = new Hono()
  app.get(
    '/ws',
    upgradeWebSocket(() => ({})),
    (c) => c.text('not a websocket')
  )
  const { port } = await serveWithWss(app)
  expect(await (await fetch(`http://127.0.0.1:${port}/ws`)).text()).toBe('not a websocket')
})

it('serve() of @hono/node-server with our upgradeWebSocket fails with an error that names the fix', async () => {
  const app = new Hono()
  const errors: string[] = []
  app.onError((err, c) => {
    errors.push(err.message)
    return c.text(err.message, 500)
  })
  app.get(
    '/ws',
    upgradeWebSocket(() => ({}))
  )
  const wss = new WebSocketServer({ noServer: true })
  const server = honoServe({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', websocket: { server: wss } })
  cleanup.push(() => server.close())
  await new Promise((r) => server.once('listening', r))
  const { port } = server.address() as { port: number }
  const res = await exchange(`ws://127.0.0.1:${port}/ws`, 'x')
  expect(res.status).toBe(500)
  expect(errors[0]).toContain("import { serve, upgradeWebSocket } from '@honokit/ws-node'")
})

it('serve() refuses a ws server that was not created with noServer', () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  cleanup.push(() => wss.close())
  expect(() => serve({ fetch: () => new Response(), port: 0, websocket: { server: wss } })).toThrow(
    'new WebSocketServer({ noServer: true })'
  )
})
