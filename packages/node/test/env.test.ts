import type { AddressInfo } from 'node:net'
import { serve as honoServe } from '@hono/node-server'
import { Hono } from 'hono'
import { afterEach, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { createNodeWebSocket, serve, type UpgradeWebSocket, upgradeWebSocket } from '../src/index.ts'
import { exchange } from './helpers.ts'

type Env = { Bindings: { customEnv?: string } }

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

/** An app whose upgrade route reports what `c.env.customEnv` was in a middleware, in createEvents and in onOpen. */
function envApp(upgrade: UpgradeWebSocket<any, any>) {
  const app = new Hono<Env>()
  app.get('/plain', (c) => c.text(String(c.env.customEnv)))
  app.get(
    '/ws',
    async (c, next) => {
      c.header('x-route-env', String(c.env.customEnv))
      await next()
    },
    upgrade((c) => {
      const inCreateEvents = String(c.env.customEnv)
      return { onMessage: (_e, ws) => ws.send(`createEvents:${inCreateEvents}`) }
    })
  )
  return app
}

// The fetch wrapper of the issue: every request, upgrades included, must see the env it adds.
const wrap = (app: Hono<Env>) => (req: Request, env: object) => app.fetch(req, { ...env, customEnv: '1' })

async function check(port: number) {
  expect(await (await fetch(`http://127.0.0.1:${port}/plain`)).text()).toBe('1')
  expect((await exchange(`ws://127.0.0.1:${port}/ws`, 'x')).reply).toBe('createEvents:1')
}

it('an env wrapper around fetch reaches upgrade requests with injectWebSocket', async () => {
  const app = new Hono<Env>()
  const { upgradeWebSocket, injectWebSocket } = createNodeWebSocket({ app })
  app.route('/', envApp(upgradeWebSocket))
  const server = honoServe({ fetch: wrap(app), port: 0, hostname: '127.0.0.1' })
  cleanup.push(() => server.close())
  injectWebSocket(server)
  await new Promise((r) => server.once('listening', r))
  await check((server.address() as AddressInfo).port)
})

it('an env wrapper around fetch reaches upgrade requests with serve({ websocket: { server } })', async () => {
  const app = envApp(upgradeWebSocket)
  const wss = new WebSocketServer({ noServer: true })
  const server = serve({ fetch: wrap(app), port: 0, hostname: '127.0.0.1', websocket: { server: wss } })
  cleanup.push(() => server.close())
  await new Promise((r) => server.once('listening', r))
  await check((server.address() as AddressInfo).port)
})

it('headers a middleware set from the wrapped env reach the 101', async () => {
  const app = envApp(upgradeWebSocket)
  const wss = new WebSocketServer({ noServer: true })
  const server = serve({ fetch: wrap(app), port: 0, hostname: '127.0.0.1', websocket: { server: wss } })
  cleanup.push(() => server.close())
  await new Promise((r) => server.once('listening', r))
  const { default: WebSocket } = await import('ws')
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`)
  const header = await new Promise<string | string[] | undefined>((resolve) =>
    ws.on('upgrade', (res) => resolve(res.headers['x-route-env']))
  )
  ws.close()
  expect(header).toBe('1')
})
