// The chat of Hono's WebSocket page, moved into a Durable Object by changing its import line and exporting one
// class (test/fixtures/hono-chat-worker.ts), served by workerd through miniflare and driven over real sockets.
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { type Client, join as joinAt } from './join.ts'

const pkg = fileURLToPath(new URL('..', import.meta.url))
let server: ServerProcess

beforeAll(async () => {
  server = await startServer([process.execPath, '--import', 'tsx', 'test/fixtures/serve-hono-chat.ts'], {
    cwd: pkg,
    readyPath: '/hello',
  })
}, 60_000)
afterAll(() => server?.stop())

const join = (path: string) => joinAt(server.port, path)

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Each client sends one JSON message; resolves with what each received (sorted), once all arrived and a pause. */
async function chatRound(clients: Client[], tag: string): Promise<string[][]> {
  for (const [i, c] of clients.entries()) c.ws.send(JSON.stringify({ from: i, text: tag }))
  const expected = clients.map((_, i) => JSON.stringify({ from: i, text: tag }))
  await vi.waitFor(
    () => expect(clients.map((c) => c.inbox.length)).toEqual(clients.map(() => expected.length)),
    {
      timeout: 5000,
    }
  )
  // Time for a duplicate to show up, if one were coming.
  await pause(150)
  return clients.map((c) => c.inbox.splice(0).sort())
}

async function probe(object: string) {
  const p = await join(`/probe?object=${encodeURIComponent(object)}`)
  p.ws.send('?')
  const report = JSON.parse(await p.next()) as { clients: number; connections: number; instance: string }
  p.ws.close()
  await p.closed
  return report
}

describe('WebSocket routes forwarded to a Durable Object', () => {
  it("Hono's chat: three clients get each message exactly once, invalid JSON gets the error, the Set empties", async () => {
    const clients = await Promise.all([join('/ws'), join('/ws'), join('/ws')])
    const all = [0, 1, 2].map((i) => JSON.stringify({ from: i, text: 'hello' })).sort()
    expect(await chatRound(clients, 'hello')).toEqual([all, all, all])

    clients[1]!.ws.send('not json')
    expect(await clients[1]!.next()).toBe(JSON.stringify({ error: 'Invalid message format' }))
    await pause(100)
    expect([clients[0]!.inbox, clients[2]!.inbox]).toEqual([[], []])

    expect(await probe('/ws')).toMatchObject({ clients: 3 })
    for (const c of clients) c.ws.close()
    await Promise.all(clients.map((c) => c.closed))
    await vi.waitFor(async () => expect(await probe('/ws')).toMatchObject({ clients: 0, connections: 1 }))
  })

  it('rooms named by a path parameter are isolated', async () => {
    const [a1, a2, b] = await Promise.all([join('/rooms/a'), join('/rooms/a'), join('/rooms/b')])
    a1!.ws.send('hi from a1')
    b!.ws.send('hi from b')
    expect([await a1!.next(), await a2!.next(), await b!.next()]).toEqual([
      'a: hi from a1',
      'a: hi from a1',
      'b: hi from b',
    ])
    await pause(150)
    expect([a1!.inbox, a2!.inbox, b!.inbox]).toEqual([[], [], []])
    for (const c of [a1!, a2!, b!]) c.ws.close()
  })

  it("roomOf(c).storage is the room's object storage: shared by its connections, kept after they close, per room", async () => {
    const first = await join('/notes/a')
    first.ws.send('one')
    expect(JSON.parse(await first.next())).toEqual(['one'])
    first.ws.close()
    await first.closed
    const [second, other] = await Promise.all([join('/notes/a'), join('/notes/b')])
    second.ws.send('two')
    other.ws.send('elsewhere')
    expect(JSON.parse(await second.next())).toEqual(['one', 'two'])
    expect(JSON.parse(await other.next())).toEqual(['elsewhere'])
    for (const c of [second, other]) c.ws.close()
  })

  it("headers the Worker's middleware set are on the 101", async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/headers`)
      ws.on('upgrade', (res) => resolve(res.headers))
      ws.on('open', () => ws.close())
      ws.on('error', reject)
    })
    expect(headers['x-set-by']).toBe('worker middleware')
  })

  it("an error thrown by createEvents in the object reaches the Worker's app.onError", async () => {
    await expect(join('/throws')).rejects.toThrow('HTTP 500')
    await vi.waitFor(() =>
      expect(server.output()).toContain('app.onError: createEvents failed in the object')
    )
  })

  it('plain HTTP routes answer from the Worker', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/hello`)
    expect(await res.text()).toBe('hello from the Worker (function)')
  })

  it('a missing binding and a class that is not a WebSocketObject fail with errors that name the fix', async () => {
    await expect(join('/missing')).rejects.toThrow('HTTP 500')
    await expect(join('/wrong')).rejects.toThrow('HTTP 500')
    await vi.waitFor(() => {
      expect(server.output()).toContain(
        "upgradeWebSocket from '@honokit/ws-cloudflare/durable' runs this WebSocket route in a Durable Object " +
          "bound as `MISSING`, but the Worker's env has no `MISSING`"
      )
      expect(server.output()).toContain(
        'Add the binding to wrangler.jsonc: "durable_objects": { "bindings": [{ "name": "MISSING", "class_name": "WebSockets" }] }'
      )
      expect(server.output()).toContain(
        'the Durable Object bound as `WRONG` did not answer as a WebSocketObject (status 200)'
      )
    })
  })

  it('the chat on the connections view: exactly once before and after the object is evicted and woken', async () => {
    const clients = await Promise.all([join('/chat'), join('/chat'), join('/chat')])
    const expected = (tag: string) => [0, 1, 2].map((i) => JSON.stringify({ from: i, text: tag })).sort()
    expect(await chatRound(clients, 'before')).toEqual([
      expected('before'),
      expected('before'),
      expected('before'),
    ])
    const before = (await probe('/chat')).instance

    // Eviction needs about 11 s without activity in the object (RUNTIME-NOTES W14); a loaded machine may take
    // longer, so each idle spell that ends on the same instance is followed by another.
    let instance = before
    for (let spell = 1; spell <= 4 && instance === before; spell++) {
      await pause(13_000)
      const tag = `after${spell}`
      expect(await chatRound(clients, tag)).toEqual([expected(tag), expected(tag), expected(tag)])
      instance = (await probe('/chat')).instance
    }
    expect(instance, 'the object was not evicted after 4 idle spells of 13 s').not.toBe(before)
    for (const c of clients) c.ws.close()
    await Promise.all(clients.map((c) => c.closed))
  }, 90_000)
})
