// bun test test/serve.bun.ts (run by serve.test.ts): serveOnFreePort on Bun, over real sockets.
import { expect, test } from 'bun:test'
import { createBunWebSocket, upgradeWebSocket } from '@honokit/ws-bun'
import { Hono } from 'hono'
import { serveOnFreePort } from '../src/serve.ts'

function open(url: string) {
  const ws = new WebSocket(url)
  const messages: string[] = []
  ws.addEventListener('message', (e) => messages.push(String(e.data)))
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true })
    ws.addEventListener('error', () => reject(new Error(`could not open ${url}`)), { once: true })
  })
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener('close', resolve, { once: true }))
  const next = async () => {
    while (messages.length === 0) await new Promise((r) => setTimeout(r, 5))
    return messages.shift()
  }
  return { ws, opened, closed, next }
}

test('serves an app built with the default upgradeWebSocket of @honokit/ws-bun (its websocket handler)', async () => {
  const app = new Hono().get(
    '/ws',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(`echo ${e.data}`) }))
  )
  const server = await serveOnFreePort(app)
  try {
    expect(server.runtime).toBe('bun')
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    const client = open(`${server.wsUrl}/ws`)
    await client.opened
    client.ws.send('hi')
    expect(await client.next()).toBe('echo hi')
    client.ws.close(4000, 'bye')
    expect((await client.closed).code).toBe(4000)
  } finally {
    await server.stop()
  }
})

test("serves an instance's routes with the instance's websocket handler, given as helper", async () => {
  const helper = createBunWebSocket()
  const app = new Hono().get(
    '/ws',
    helper.upgradeWebSocket(() => ({
      onOpen: (_e, ws) => ws.subscribe('all'),
      onMessage: (e) => helper.publish('all', `all ${e.data}`),
    }))
  )
  const server = await serveOnFreePort(app, { helper })
  try {
    const a = open(`${server.wsUrl}/ws`)
    const b = open(`${server.wsUrl}/ws`)
    await Promise.all([a.opened, b.opened])
    a.ws.send('hi')
    expect(await b.next()).toBe('all hi')
    expect(await a.next()).toBe('all hi')
  } finally {
    await server.stop()
  }
})

test('stop() drops the open connections and frees the port', async () => {
  const closes: number[] = []
  const app = new Hono().get(
    '/ws',
    upgradeWebSocket(() => ({ onClose: (e) => void closes.push(e.code) }))
  )
  const server = await serveOnFreePort(app)
  const client = open(`${server.wsUrl}/ws`)
  await client.opened
  await server.stop()
  expect((await client.closed).code).not.toBe(1000)
  for (let i = 0; i < 100 && closes.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
  expect(closes).toHaveLength(1)
  await expect(fetch(`${server.url}/ws`)).rejects.toThrow()
})
