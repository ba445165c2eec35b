// The origin policy behind a reverse proxy that does not keep Host (nginx's default `proxy_set_header Host
// $proxy_host`): the browser's page is https://chat.example.com, the request reaches Node with Host 127.0.0.1:PORT.
import { Hono } from 'hono'
import { afterEach, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createNodeWebSocket, type NodeWebSocketInit } from '../src/index.ts'
import { listen } from './helpers.ts'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

async function start(options: Omit<NodeWebSocketInit, 'app' | 'logger'>) {
  const lines: string[] = []
  const app = new Hono()
  const helper = createNodeWebSocket({
    app,
    ...options,
    logger: { warn: (m) => lines.push(m), error: (m) => lines.push(m) },
  })
  app.get(
    '/ws',
    helper.upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data) }))
  )
  const { server, port } = await listen(app)
  helper.injectWebSocket(server)
  cleanup.push(() => server.close())
  return { port, lines }
}

/** Connects with `headers`; resolves with 101 or the refusal's status. */
function handshake(port: number, headers: Record<string, string>, path = '/ws') {
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (_req, res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    ws.on('error', reject)
  })
}

const browser = {
  Origin: 'https://chat.example.com',
  'X-Forwarded-Host': 'chat.example.com',
  'X-Forwarded-Proto': 'https',
}

it('honours baseUrl as this server’s origin', async () => {
  const { port } = await start({ baseUrl: 'https://chat.example.com' })
  expect(await handshake(port, { Origin: 'https://chat.example.com' })).toBe(101)
  expect(await handshake(port, { Origin: 'https://evil.example.com' })).toBe(403)
})

it('does not trust X-Forwarded-Host by default, and its log line names the header and trustProxy', async () => {
  const { port, lines } = await start({})
  expect(await handshake(port, browser)).toBe(403)
  expect(lines).toHaveLength(1)
  expect(lines[0]).toContain('Origin https://chat.example.com is not allowed')
  expect(lines[0]).toContain(`own origin http://127.0.0.1:${port}`)
  expect(lines[0]).toContain('X-Forwarded-Host: chat.example.com')
  expect(lines[0]).toContain('trustProxy: true')
})

it('trusts X-Forwarded-Host and -Proto with trustProxy', async () => {
  const { port } = await start({ trustProxy: true })
  expect(await handshake(port, browser)).toBe(101)
  expect(await handshake(port, { ...browser, Origin: 'https://evil.example.com' })).toBe(403)
})

it('refuses an allowedOrigins string that is not one exact origin when the helper is created', () => {
  expect(() => createNodeWebSocket({ app: new Hono(), allowedOrigins: 'chat.example.com' as never })).toThrow(
    /allowedOrigins: "chat\.example\.com" is not an origin/
  )
  expect(() => createNodeWebSocket({ app: new Hono(), baseURL: 'https://x' } as never)).toThrow(
    /unknown option 'baseURL'\. Did you mean baseUrl\?/
  )
})

it('an upgrade request that no route takes (a sub-app never mounted) says so on the server, once per path', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    const root = new Hono()
    const sub = new Hono()
    const helper = createNodeWebSocket({ app: sub })
    sub.get(
      '/unmounted-ws',
      helper.upgradeWebSocket(() => ({}))
    )
    const { server, port } = await listen(root)
    helper.injectWebSocket(server)
    cleanup.push(() => server.close())
    expect(await handshake(port, {}, '/unmounted-ws')).toBe(404)
    expect(await handshake(port, {}, '/unmounted-ws')).toBe(404)
    const lines = warn.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('/unmounted-ws'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('got 404 from the app: no upgradeWebSocket route matched it')
    expect(lines[0]).toContain('app.route(prefix, subApp)')
  } finally {
    warn.mockRestore()
  }
})
