// deno test --allow-net=127.0.0.1 test/serve.deno.ts (run by serve.test.ts): serveOnFreePort on Deno, over real
// sockets. Deno's sanitizers fail a test that leaves its server or a socket open.
import assert from 'node:assert/strict'
import { createDenoWebSocket } from '@honokit/ws-deno'
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

Deno.test('serves an app built with @honokit/ws-deno on a free port', async () => {
  const { upgradeWebSocket } = createDenoWebSocket()
  const app = new Hono().get(
    '/ws',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(`echo ${e.data}`) }))
  )
  const server = await serveOnFreePort(app)
  try {
    assert.equal(server.runtime, 'deno')
    assert.equal(server.url, `http://127.0.0.1:${server.port}`)
    const client = open(`${server.wsUrl}/ws`)
    await client.opened
    client.ws.send('hi')
    assert.equal(await client.next(), 'echo hi')
    client.ws.close(4000, 'bye')
    assert.equal((await client.closed).code, 4000)
  } finally {
    await server.stop()
  }
})

Deno.test('stop() ends the open connections and frees the port', async () => {
  const closes: number[] = []
  const { upgradeWebSocket } = createDenoWebSocket()
  const app = new Hono().get(
    '/ws',
    upgradeWebSocket(() => ({ onClose: (e) => void closes.push(e.code) }))
  )
  const server = await serveOnFreePort(app)
  const client = open(`${server.wsUrl}/ws`)
  await client.opened
  await server.stop()
  await client.closed
  for (let i = 0; i < 100 && closes.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
  assert.equal(closes.length, 1)
  await assert.rejects(fetch(`${server.url}/ws`))
})
