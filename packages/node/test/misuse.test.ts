import { Hono } from 'hono'
import { afterEach, expect, it } from 'vitest'
import { createNodeWebSocket } from '../src/index.ts'
import { exchange, listen } from './helpers.ts'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
})

it('an upgrade route hit without injectWebSocket(server) fails with an error that names the fix', async () => {
  const app = new Hono()
  const { upgradeWebSocket } = createNodeWebSocket({ app })
  app.get(
    '/ws',
    upgradeWebSocket(() => ({}))
  )
  app.onError((err, c) => c.text(err.message, 500))
  // injectWebSocket(server) is forgotten on purpose.
  const { server, port } = await listen(app)
  cleanup.push(() => server.close())
  const res = await exchange(`ws://127.0.0.1:${port}/ws`, 'x')
  expect(res.status).toBe(500)
  expect(res.body).toContain('injectWebSocket(server) was never called')
  // injectWebSocket is not a top-level export: the message says where it comes from.
  expect(res.body).toContain('createNodeWebSocket({ app })')
  expect(res.body).toContain('serve({ fetch: app.fetch, port })')
})

it('the same misuse does not break plain requests to other routes', async () => {
  const app = new Hono()
  const { upgradeWebSocket } = createNodeWebSocket({ app })
  app.get(
    '/ws',
    upgradeWebSocket(() => ({}))
  )
  app.get('/', (c) => c.text('home'))
  const { server, port } = await listen(app)
  cleanup.push(() => server.close())
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('home')
})
