import { Hono } from 'hono'
import { afterAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createNodeWebSocket } from '../src/index.ts'
import { listen } from './helpers.ts'

type Emitter = { listeners(event: string): unknown[]; _socket?: Emitter }

const app = new Hono()
const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
const raws: Emitter[] = []
app.get(
  '/ws',
  upgradeWebSocket(() => ({
    onOpen: (_e, ws) => {
      raws.push(ws.raw as unknown as Emitter)
    },
    onMessage: (e, ws) => ws.send(String(e.data)),
  }))
)
const { server, port } = await listen(app)
injectWebSocket(server)
afterAll(() => new Promise<void>((r) => server.close(() => r())))

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

it('wires every ws socket with the same listener functions (no closures per connection)', async () => {
  const clients = [await open(), await open()]
  // One echo round trip each: both sockets have run onOpen on the server.
  for (const c of clients) {
    c.send('ping')
    await new Promise((r) => c.once('message', r))
  }
  const [a, b] = raws as [Emitter, Emitter]
  for (const event of ['message', 'close', 'error', 'pong']) {
    expect(a.listeners(event).length, event).toBeGreaterThan(0)
    expect(a.listeners(event).at(-1), event).toBe(b.listeners(event).at(-1))
  }
  expect(a._socket?.listeners('drain').at(-1)).toBe(b._socket?.listeners('drain').at(-1))
  for (const c of clients) c.close()
})
