// @honokit/ws-bun, as servers/bun-honokit.ts serves it: /ws echoes; /sub subscribes, /pub publishes.
import { createBunWebSocket } from '@honokit/ws-bun'
import { Hono } from 'hono'

export function serve(port: number): number {
  const { upgradeWebSocket, websocket } = createBunWebSocket()
  const app = new Hono()
  app.get(
    '/ws',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data as string | ArrayBuffer) }))
  )
  app.get(
    '/sub',
    upgradeWebSocket(() => ({ onOpen: (_e, ws) => ws.subscribe('t') }))
  )
  app.get(
    '/pub',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.publish('t', e.data as string | ArrayBuffer) }))
  )
  app.get('*', (c) => c.text('ok'))
  return Bun.serve({ port, hostname: '127.0.0.1', fetch: app.fetch, websocket }).port
}
