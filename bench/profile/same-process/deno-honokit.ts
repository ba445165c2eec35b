// @honokit/ws-deno, as servers/deno-honokit.ts serves it: /ws echoes; /sub subscribes, /pub publishes.
import { createDenoWebSocket } from '@honokit/ws-deno'
import { Hono } from 'hono'

export function serve(port: number): number {
  const { upgradeWebSocket } = createDenoWebSocket()
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
  return Deno.serve({ port, hostname: '127.0.0.1', onListen: () => {} }, app.fetch).addr.port
}
