import { Hono } from 'hono'
import { hc } from 'hono/client'
import { testClient } from 'hono/testing'
import { describe, expect, it, vi } from 'vitest'
import {
  connect,
  createTestWebSocket,
  refusal,
  TestTimeoutError,
  WebSocketRefusedError,
  webSocketFactory,
} from './index.ts'

function chatApp() {
  const helper = createTestWebSocket()
  const app = new Hono()
    .use('/ws', async (c, next) => {
      if (c.req.query('token') !== 'ok') {
        c.header('WWW-Authenticate', 'Bearer')
        return c.json({ error: 'unauthorized' }, 401)
      }
      c.header('Set-Cookie', 'seen=1')
      await next()
    })
    .get(
      '/ws',
      helper.upgradeWebSocket(
        (c) => ({
          onOpen: (_e, ws) => {
            ws.subscribe('room')
            ws.send(`welcome ${c.req.query('name') ?? 'anon'}`)
          },
          onMessage: (e, ws) => {
            if (e.data === 'boom') throw new Error('boom')
            if (e.data === 'bye') return ws.close(4000, 'asked')
            ws.publish('room', `${c.req.query('name')}: ${e.data}`)
            ws.send(typeof e.data === 'string' ? `echo ${e.data}` : e.data)
          },
        }),
        { protocols: ['chat.v2', 'chat.v1'] }
      )
    )
  return { app, helper }
}

describe('connect', () => {
  it('opens a route with query, headers and subprotocols; messages both ways; close codes both ways', async () => {
    const { app } = chatApp()
    const client = await connect(app, '/ws', {
      query: { token: 'ok', name: 'ann' },
      protocols: ['chat.v1', 'x'],
    })
    expect(client.protocol).toBe('chat.v1')
    expect(client.headers.get('sec-websocket-protocol')).toBe('chat.v1')
    expect(client.headers.getSetCookie()).toEqual(['seen=1'])
    expect(await client.next()).toBe('welcome ann')
    client.send('hi')
    expect(await client.next()).toBe('echo hi')
    client.send(new Uint8Array([1, 2, 3]).subarray(1))
    expect(new Uint8Array((await client.next()) as ArrayBuffer)).toEqual(new Uint8Array([2, 3]))
    client.send('bye')
    expect(await client.closed()).toEqual({ code: 4000, reason: 'asked', wasClean: true })
  })

  it('resolves a refusal with its real status, headers and body', async () => {
    const { app } = chatApp()
    const r = await refusal(app, '/ws')
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toBe('Bearer')
    expect(JSON.parse(r.body)).toEqual({ error: 'unauthorized' })
    await expect(connect(app, '/ws')).rejects.toBeInstanceOf(WebSocketRefusedError)
    expect((await refusal(app, '/ws?token=ok', { origin: 'https://evil.test' })).status).toBe(403)
    expect((await refusal(app, '/ws?token=ok', { protocols: 'nope' })).status).toBe(400)
  })

  it('a handler error closes that connection with 1011; pub/sub reaches the other one', async () => {
    const { app, helper } = chatApp()
    const a = await connect(app, '/ws?token=ok&name=a')
    const b = await connect(app, '/ws?token=ok&name=b')
    await a.next()
    await b.next()
    a.send('hello')
    expect(await a.next()).toBe('echo hello')
    expect(await b.next()).toBe('a: hello')
    helper.publish('room', 'from the server')
    expect(await a.next()).toBe('from the server')
    expect(await b.next()).toBe('from the server')
    b.send('boom')
    expect((await b.closed()).code).toBe(1011)
    // The server's side ends when the client's answering Close frame arrives, one task later.
    await vi.waitFor(() => expect(helper.connections.size).toBe(1))
    await helper.shutdown()
    expect((await a.closed()).code).toBe(1001)
  })

  it('async-iterates messages until the close', async () => {
    const helper = createTestWebSocket()
    const app = new Hono().get(
      '/count',
      helper.upgradeWebSocket(() => ({
        onOpen: (_e, ws) => {
          for (let i = 1; i <= 3; i++) ws.send(String(i))
          ws.close()
        },
      }))
    )
    const got: unknown[] = []
    for await (const m of await connect(app, '/count')) got.push(m)
    expect(got).toEqual(['1', '2', '3'])
  })

  it('a wait that times out names what it waited for and what arrived', async () => {
    const { app } = chatApp()
    const client = await connect(app, '/ws?token=ok&name=z', { timeout: 50 })
    await client.next()
    const error = await client.take(2).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TestTimeoutError)
    expect(String(error)).toMatch(
      /timed out after 50 ms waiting for 2 messages from ws:\/\/localhost\/ws\?token=ok&name=z; received so far: the last 1, the last: "welcome z"; none waiting untaken; the connection is open/
    )
    client.send('bye')
    await expect(client.next()).rejects.toThrow(
      /the connection closed while waiting for the next message.*closed with 4000 "asked"/
    )
  })

  it('a slow consumer fills the server send buffer; the server drops a peer that stops answering pings', async () => {
    const helper = createTestWebSocket({
      maxBufferedAmount: 1024,
      heartbeat: { interval: 1000, timeout: 1000 },
    })
    const app = new Hono().get(
      '/flood',
      helper.upgradeWebSocket(() => ({
        onMessage: (_e, ws) => {
          for (let i = 0; i < 10; i++) ws.send('x'.repeat(200))
        },
      }))
    )
    const slow = await connect(app, '/flood')
    slow.pause()
    slow.send('go')
    await new Promise((r) => setTimeout(r, 20))
    slow.resume()
    expect((await slow.closed()).code).toBe(1013)
    const silent = await connect(app, '/flood', { autoPong: false, timeout: 5000 })
    expect(await silent.closed()).toEqual({ code: 1006, reason: '', wasClean: false })
  })
})

describe('hc and testClient', () => {
  it('$ws() connects in-process with the route typed', async () => {
    const { app } = chatApp()
    const client = testClient(app, undefined, undefined, { webSocket: webSocketFactory(app) })
    const ws = client.ws.$ws({ query: { token: 'ok', name: 'hc' } })
    const first = await new Promise<string>((resolve) =>
      ws.addEventListener('message', (e) => resolve(e.data))
    )
    expect(first).toBe('welcome hc')
    const closed = new Promise<CloseEvent>((resolve) => {
      ws.onclose = resolve
    })
    ws.send('bye')
    expect((await closed).code).toBe(4000)

    const viaHc = hc<typeof app>('http://localhost', { webSocket: webSocketFactory(app) })
    const refused = viaHc.ws.$ws()
    const code = await new Promise<number>((resolve) =>
      refused.addEventListener('close', (e) => resolve(e.code))
    )
    expect(code).toBe(1006)
  })
})
