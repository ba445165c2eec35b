import { createMemoryBroker } from '@honokit/ws-core'
import { Hono } from 'hono'
import { afterEach, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createNodeWebSocket } from '../src/index.ts'
import { listen } from './helpers.ts'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

async function server(broker: ReturnType<typeof createMemoryBroker>) {
  const app = new Hono()
  const helper = createNodeWebSocket({ app, broker })
  app.get(
    '/ws',
    helper.upgradeWebSocket(() => ({
      onMessage(e, ws) {
        if (e.data === 'join') {
          ws.subscribe('room')
          ws.send('joined')
        } else ws.publish('room', String(e.data))
      },
    }))
  )
  const { server: s, port } = await listen(app)
  helper.injectWebSocket(s)
  cleanup.push(() => s.close())
  return { helper, port }
}

function member(port: number) {
  return new Promise<{ ws: WebSocket; got: string[] }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`)
    const got: string[] = []
    ws.on('open', () => ws.send('join'))
    ws.on('message', (d) => {
      if (String(d) === 'joined') resolve({ ws, got })
      else got.push(String(d))
    })
    cleanup.push(() => ws.terminate())
  })
}

it('two servers sharing a broker deliver each publish once to the subscribers of both, sender excluded', async () => {
  const broker = createMemoryBroker()
  const one = await server(broker)
  const two = await server(broker)
  const [a, b, c] = await Promise.all([member(one.port), member(two.port), member(two.port)])
  a!.ws.send('from a on one')
  one.helper.publish('room', 'from the server of one')
  await vi.waitFor(() => expect(b!.got.length + c!.got.length).toBe(4), { timeout: 5000 })
  // Time for a duplicate or an echo to the sender to show up, if one were coming.
  await new Promise((r) => setTimeout(r, 100))
  expect(a!.got).toEqual(['from the server of one'])
  // Two sources (a client over the network, the server in process): each arrives once, in no fixed order.
  expect(b!.got.sort()).toEqual(['from a on one', 'from the server of one'])
  expect(c!.got.sort()).toEqual(['from a on one', 'from the server of one'])
})

it('without a broker, a publish stays on its own server', async () => {
  const one = await server(createMemoryBroker())
  const lonely = await server(createMemoryBroker())
  const [a, b] = await Promise.all([member(one.port), member(lonely.port)])
  one.helper.publish('room', 'local news')
  await vi.waitFor(() => expect(a!.got).toEqual(['local news']), { timeout: 5000 })
  // Time for a leak to the other server to show up, if one were coming.
  await new Promise((r) => setTimeout(r, 100))
  expect(b!.got).toEqual([])
})
