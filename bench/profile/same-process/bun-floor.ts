// The least work Hono's API asks for per message, with nothing of honokit's: Hono's routing and Bun's upgrade, the
// socket's context found by a symbol, a `{ type, data }` event, the handler called on an events object under `try`
// with a check of what it returned, and a context whose `send` checks one state field before Bun's `send`.
import { Hono } from 'hono'

interface BunSocket {
  send(data: string | Uint8Array): number
}
const CONTEXT = Symbol('context')
type Socket = BunSocket & { [CONTEXT]?: Context }

class Context {
  state = 1
  constructor(readonly raw: BunSocket) {}
  send(data: string | ArrayBuffer): void {
    if (this.state === 1) this.raw.send(typeof data === 'string' ? data : new Uint8Array(data))
  }
}

const events = { onMessage: (e: { data: string | ArrayBuffer }, ws: Context) => ws.send(e.data) }
const app = new Hono<{ Bindings: { server: Bun.Server<unknown> } }>()
app.get('/ws', (c) => (c.env.server.upgrade(c.req.raw) ? new Response(null) : c.text('no', 400)))
app.get('*', (c) => c.text('ok'))
Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  fetch: (req, server) => app.fetch(req, { server }),
  websocket: {
    open(ws) {
      ;(ws as unknown as Socket)[CONTEXT] = new Context(ws as unknown as BunSocket)
    },
    message(ws, message) {
      const context = (ws as unknown as Socket)[CONTEXT]
      if (context === undefined) return
      try {
        const result: unknown = events.onMessage({ type: 'message', data: message } as never, context)
        if (result !== undefined) console.log(result)
      } catch (e) {
        console.error(e)
      }
    },
  },
})
