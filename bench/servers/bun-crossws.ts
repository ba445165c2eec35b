// crossws on Bun (its Bun adapter, without Hono): echo on /ws; /sub does peer.subscribe, /pub peer.publish (native).
import crossws from 'crossws/adapters/bun'

const ws = crossws({
  // crossws scopes peers (and its in-memory publish) by namespace, the path by default: one for all three routes.
  getNamespace: () => 'bench',
  hooks: {
    open(peer) {
      const path = new URL(peer.request.url).pathname
      if (path === '/sub') peer.subscribe('t')
      peer.context.pub = path === '/pub'
    },
    message(peer, message) {
      if (peer.context.pub) peer.publish('t', message.text())
      else peer.send(message.text())
    },
  },
})
Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  websocket: ws.websocket,
  fetch(req, server) {
    const path = new URL(req.url).pathname
    if (path === '/ws' || path === '/sub' || path === '/pub') return ws.handleUpgrade(req, server)
    if (path === '/gc') Bun.gc(true)
    return new Response(null, { status: path === '/health' || path === '/gc' ? 200 : 404 })
  },
})
