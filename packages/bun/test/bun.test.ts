import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '@honokit/ws-conformance/runner'
import { expect, it, vi } from 'vitest'
import WebSocket from 'ws'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const bun = join(
  dirname(createRequire(join(pkg, 'package.json')).resolve('bun/package.json')),
  'bin',
  'bun.exe'
)

async function serve(mode: string) {
  return startServer([bun, 'run', 'test/fixtures/setup.ts'], { cwd: pkg, env: { MODE: mode } })
}

function exchange(port: number, text: string) {
  return new Promise<{ reply?: string; status?: number; body?: string }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`)
    ws.on('open', () => ws.send(text))
    ws.on('message', (d) => {
      resolve({ reply: d.toString() })
      ws.close()
    })
    ws.on('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
    ws.on('error', reject)
  })
}

it('a user write to ws.raw.data does not break messages or onClose', async () => {
  const server = await serve('ok')
  try {
    expect(await exchange(server.port, 'one')).toEqual({ reply: 'echo:one' })
    expect(await exchange(server.port, 'two')).toEqual({ reply: 'echo:two' })
    // onClose of both connections has run (it counts them), however long the closing handshakes take.
    await vi.waitFor(
      async () => expect(await (await fetch(`http://127.0.0.1:${server.port}/closed`)).text()).toBe('2'),
      { timeout: 5000, interval: 50 }
    )
    expect(server.output()).not.toMatch(/TypeError|undefined is not/)
  } finally {
    await server.stop()
  }
})

it('Bun.serve without the websocket handler gets an error that says to pass it next to fetch', async () => {
  const server = await serve('no-websocket')
  try {
    const r = await exchange(server.port, 'x')
    expect(r.status).toBe(500)
    expect(r.body).toContain('Bun.serve was started without the `websocket` handler')
    expect(r.body).toContain('pass `websocket` next to `fetch`')
  } finally {
    await server.stop()
  }
})

it('a fetch wrapper that drops the server gets an error that shows how to pass it on', async () => {
  const server = await serve('wrapper')
  try {
    const r = await exchange(server.port, 'x')
    expect(r.status).toBe(500)
    expect(r.body).toContain('needs the Bun server')
    expect(r.body).toContain('fetch: (req, server) => app.fetch(req, server)')
  } finally {
    await server.stop()
  }
})

it("the default upgradeWebSocket with another instance's websocket handler closes with 1011 and says which to use", async () => {
  const server = await serve('mixed')
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`)
      ws.on('close', (c) => resolve(c))
      ws.on('error', reject)
    })
    expect(code).toBe(1011)
    await vi.waitFor(
      () => expect(server.output()).toContain("reached another instance's `websocket` handler"),
      {
        timeout: 5000,
      }
    )
    expect(server.output()).toContain('from the same instance')
  } finally {
    await server.stop()
  }
})

it('an idle connection costs the library one object, its Connection, which is its WSContext (no URL, map entry or closure)', async () => {
  const server = await startServer([bun, 'run', 'test/fixtures/heap-census.ts'], { cwd: pkg })
  const census = async () =>
    (await (await fetch(`http://127.0.0.1:${server.port}/census`)).json()) as Record<string, number>
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`)
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    })
  try {
    // Warm-up: code, structures and pools made once.
    for (const ws of await Promise.all(Array.from({ length: 50 }, open))) ws.close()
    await new Promise((r) => setTimeout(r, 200))
    await census()
    const before = await census()
    const N = 500
    const clients = await Promise.all(Array.from({ length: N }, open))
    const after = await census()
    const per = (name: string) => Math.round((((after[name] ?? 0) - (before[name] ?? 0)) / N) * 10) / 10
    expect(per('ServerWebSocket')).toBe(1)
    // JSC counts instances of classes as "Object": the Connection (the context handlers get), nothing else of ours.
    expect(per('Object')).toBe(1)
    // Connections to the same URL share one string for it, instead of each keeping its own.
    expect(per('string')).toBeLessThan(0.5)
    // No closure per connection (a little JIT code is made while the connections open).
    expect(per('Function')).toBeLessThan(0.5)
    for (const name of ['URL', 'WeakMap', 'Map', 'Set', 'Headers', 'Request', 'Response', 'Promise'])
      expect(per(name), name).toBe(0)
    for (const ws of clients) ws.close()
  } finally {
    await server.stop()
  }
})
