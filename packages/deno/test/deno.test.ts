import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ServerProcess, startServer } from '@honokit/ws-conformance/runner'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'

const pkg = fileURLToPath(new URL('..', import.meta.url))
const deno = join(dirname(createRequire(join(pkg, 'package.json')).resolve('deno/package.json')), 'deno')
let server: ServerProcess

beforeAll(async () => {
  server = await startServer(
    [deno, 'run', '--allow-net=127.0.0.1', '--allow-env=PORT', 'test/fixtures/options.ts'],
    {
      cwd: pkg,
    }
  )
}, 60_000)
afterAll(() => server?.stop())

it('the protocol option of hono/deno chooses the subprotocol, on both sides', async () => {
  const got = await new Promise<{ message: string; protocol: string }>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/protocol`, ['x', 'chat'])
    ws.on('message', (d) => {
      resolve({ message: d.toString(), protocol: ws.protocol })
      ws.close()
    })
    ws.on('error', reject)
  })
  expect(got).toEqual({ message: 'protocol:chat', protocol: 'chat' })
})

it("Deno's idleTimeout (seconds) reaches Deno: a peer that never answers pings is closed with 1001", async () => {
  const closed = await new Promise<number>((resolve, reject) => {
    // autoPong off: this client never answers Deno's pings.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/idle`, { autoPong: false })
    ws.on('close', (code) => resolve(code))
    ws.on('error', reject)
  })
  // With Deno's default of 30 s this would outlast the test's own timeout; with 1 s Deno closes it with 1001.
  expect(closed).toBe(1001)
})
