// The patterns of Hono's WebSocket helper page, written for hono/bun and hono/deno with only the import line
// changed, served by the real bun and deno binaries and driven from here over real sockets.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'

const root = fileURLToPath(new URL('..', import.meta.url))
const resolveFrom = (pkg: string, id: string) =>
  createRequire(join(root, 'packages', pkg, 'package.json')).resolve(id)

const runtimes = [
  {
    name: 'bun',
    command: () => [
      join(dirname(resolveFrom('bun', 'bun/package.json')), 'bin', 'bun.exe'),
      'run',
      'test/fixtures/hono-docs.ts',
    ],
  },
  {
    name: 'deno',
    command: () => [
      join(dirname(resolveFrom('deno', 'deno/package.json')), 'deno'),
      'run',
      '--allow-net=127.0.0.1',
      '--allow-env=PORT',
      'test/fixtures/hono-docs.ts',
    ],
  },
]

/** Opens `path`, optionally sends `send`, and collects `count` messages (or until close). */
function talk(
  port: number,
  path: string,
  opts: { send?: string | Buffer; count?: number; headers?: Record<string, string> }
) {
  return new Promise<{
    messages: (string | Buffer)[]
    close?: { code: number; reason: string }
    status?: number
    body?: string
  }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers: opts.headers })
    const messages: (string | Buffer)[] = []
    ws.on('open', () => opts.send !== undefined && ws.send(opts.send))
    ws.on('message', (d: Buffer, isBinary) => {
      messages.push(isBinary ? d : d.toString())
      if (opts.count && messages.length === opts.count) {
        ws.close()
        resolve({ messages })
      }
    })
    ws.on('close', (code, reason) => resolve({ messages, close: { code, reason: reason.toString() } }))
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d))
      res.on('end', () => resolve({ messages, status: res.statusCode, body }))
    })
    ws.on('error', reject)
  })
}

describe.each(runtimes)('Hono docs examples on $name', ({ name, command }) => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer(command(), { cwd: join(root, 'packages', name), readyPath: '/' })
  }, 60_000)
  afterAll(() => server?.stop())

  it('echo answers and logs the message', async () => {
    const r = await talk(server.port, '/ws', { send: 'hi there', count: 1 })
    expect(r.messages).toEqual(['Hello from server!'])
    await new Promise((res) => setTimeout(res, 200))
    expect(server.output()).toContain('Message from client: hi there')
    expect(server.output()).toContain('Connection closed')
  })

  it('binary messages come back as the same bytes, reversed', async () => {
    const r = await talk(server.port, '/binary', { send: Buffer.from([1, 2, 3, 250]), count: 1 })
    expect([...(r.messages[0] as Buffer)]).toEqual([250, 3, 2, 1])
  })

  it('close codes and reasons reach the client', async () => {
    expect((await talk(server.port, '/close', { send: 'bye' })).close).toEqual({
      code: 1000,
      reason: 'Goodbye',
    })
    expect((await talk(server.port, '/close', { send: '?' })).close).toEqual({
      code: 4000,
      reason: 'Unknown command',
    })
  })

  it('chat broadcast over a Set of contexts reaches every other client', async () => {
    const open = () =>
      new Promise<{ ws: WebSocket; got: string[] }>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/chat`)
        const got: string[] = []
        ws.on('message', (d) => got.push(d.toString()))
        ws.on('open', () => resolve({ ws, got }))
      })
    const [a, b, c] = await Promise.all([open(), open(), open()])
    a!.ws.send('from a')
    await vi.waitFor(() => expect([b!.got, c!.got]).toEqual([['from a'], ['from a']]), { timeout: 5000 })
    // Time for an echo to the sender to show up, if one were coming.
    await new Promise((r) => setTimeout(r, 100))
    expect([a!.got, b!.got, c!.got]).toEqual([[], ['from a'], ['from a']])
    for (const p of [a, b, c]) p!.ws.close()
  })

  it('context data comes from the query and the headers of the upgrade request', async () => {
    const r = await talk(server.port, '/hello?name=ann', { headers: { 'x-client': 'test-suite' }, count: 1 })
    expect(r.messages).toEqual(['Hello ann from test-suite'])
  })

  it('the direct form behind an auth check answers 401, and upgrades with the token', async () => {
    expect(await talk(server.port, '/secure', {})).toMatchObject({ status: 401, body: 'Unauthorized' })
    const ok = await talk(server.port, '/secure', { headers: { authorization: 'Bearer secret' }, count: 1 })
    expect(ok.messages).toEqual(['welcome'])
  })
})
