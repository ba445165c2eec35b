// hono/deno, as servers/deno-hono.ts serves it: /ws echoes; /sub joins a set, a message on /pub is sent in a loop.
import { Hono } from 'hono'
import { upgradeWebSocket } from 'hono/deno'
import type { WSContext } from 'hono/ws'

export function serve(port: number): number {
  const subscribers = new Set<WSContext>()
  const app = new Hono()
  app.get(
    '/ws',
    upgradeWebSocket(() => ({ onMessage: (e, ws) => ws.send(e.data as string | ArrayBuffer) }))
  )
  app.get(
    '/sub',
    upgradeWebSocket(() => {
      let me: WSContext | undefined
      return {
        onOpen: (_e, ws) => {
          me = ws
          subscribers.add(ws)
        },
        onClose: () => {
          if (me) subscribers.delete(me)
        },
      }
    })
  )
  app.get(
    '/pub',
    upgradeWebSocket(() => ({
      onMessage: (e) => {
        for (const s of subscribers) s.send(e.data as string | ArrayBuffer)
      },
    }))
  )
  app.get('*', (c) => c.text('ok'))
  return Deno.serve({ port, hostname: '127.0.0.1', onListen: () => {} }, app.fetch).addr.port
}
