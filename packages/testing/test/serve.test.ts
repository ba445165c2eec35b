// serveOnFreePort on Node, over real sockets; the same checks on Bun and Deno run in serve.bun.ts and serve.deno.ts,
// each with its own test runner.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createNodeWebSocket, upgradeWebSocket } from '@honokit/ws-node'
import { Hono } from 'hono'
import { afterEach, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type ServedApp, serveOnFreePort } from '../src/serve.ts'

const started: ServedApp[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()))
})
async function serveForTest(...args: Parameters<typeof serveOnFreePort>) {
  const server = await serveOnFreePort(...args)
  started.push(server)
  return server
}

function open(url: string) {
  const ws = new WebSocket(url)
  const messages: string[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (d) => {
    messages.push(String(d))
    for (const w of waiters.splice(0)) w()
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }))
  )
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
  const next = async () => {
    while (messages.length === 0) await new Promise<void>((r) => waiters.push(r))
    return messages.shift()!
  }
  return { ws, opened, next, closed }
}

it('serves an app built with the default upgradeWebSocket of @honokit/ws-node on a free port', async () => {
  const closes: number[] = []
  const app = new Hono()
    .get('/health', (c) => c.text('ok'))
    .get(
      '/ws',
      upgradeWebSocket(() => ({
        onMessage: (e, ws) => ws.send(`echo ${e.data}`),
        onClose: (e) => void closes.push(e.code),
      }))
    )
  const server = await serveForTest(app)
  expect(server.runtime).toBe('node')
  expect(server.port).toBeGreaterThan(0)
  expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  expect(await (await fetch(`${server.url}/health`)).text()).toBe('ok')

  const client = open(`${server.wsUrl}/ws`)
  await client.opened
  client.ws.send('hi')
  expect(await client.next()).toBe('echo hi')
  client.ws.close(4000, 'bye')
  expect(await client.closed).toEqual({ code: 4000, reason: 'bye' })
  await expect.poll(() => closes).toEqual([4000])
})

it("keeps the app's refusals and the limits of the helper instance that accepted", async () => {
  const helper = createNodeWebSocket({ maxPayload: 16 })
  const app = new Hono().get(
    '/ws',
    (c, next) => (c.req.query('token') === 'yes' ? next() : c.text('no token', 401)),
    helper.upgradeWebSocket(() => ({
      onMessage: (e, ws) => ws.send(String(e.data)),
      onError: () => {}, // ws reports the oversized message as an error too
    }))
  )
  const server = await serveForTest(app)
  await expect(open(`${server.wsUrl}/ws`).opened).rejects.toThrow('refused 401')
  const client = open(`${server.wsUrl}/ws?token=yes`)
  await client.opened
  client.ws.send('x'.repeat(17))
  expect((await client.closed).code).toBe(1009)
})

it('stop() drops the open connections, frees the port, and can be called twice', async () => {
  const closes: number[] = []
  const app = new Hono().get(
    '/ws',
    upgradeWebSocket(() => ({ onClose: (e) => void closes.push(e.code) }))
  )
  const a = await serveForTest(app)
  const b = await serveForTest(app)
  expect(b.port).not.toBe(a.port)
  const client = open(`${a.wsUrl}/ws`)
  await client.opened
  await Promise.all([a.stop(), a.stop()])
  expect((await client.closed).code).toBe(1006)
  await expect.poll(() => closes).toEqual([1006])
  await expect(fetch(`${a.url}/ws`)).rejects.toThrow()
  expect((await fetch(`${b.url}/nothing`)).status).toBe(404)
})

const pkg = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(join(pkg, 'package.json'))
// The real binaries, not the .bin shims (which do not exec them): spawnSync kills this PID on timeout.
const bun = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
const deno = join(dirname(require.resolve('deno/package.json')), 'deno')

function run(command: string, args: string[]) {
  const r = spawnSync(command, args, {
    cwd: pkg,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colours some runners print anyway.
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') }
}

it('bun test runs test/serve.bun.ts: Bun.serve with the default and an instance websocket handler', () => {
  const r = run(bun, ['test', './test/serve.bun.ts'])
  expect(r.output).toMatch(/3 pass\s+0 fail/)
  expect(r.status, r.output).toBe(0)
})

it('deno test runs test/serve.deno.ts (type-checked, with its resource sanitizers): Deno.serve', () => {
  const r = run(deno, ['test', '--allow-net=127.0.0.1', 'test/serve.deno.ts'])
  expect(r.output).toMatch(/ok \| 2 passed \| 0 failed/)
  expect(r.status, r.output).toBe(0)
})
