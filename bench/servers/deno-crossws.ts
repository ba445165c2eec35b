// crossws on Deno (its Deno adapter, without Hono): echo on /ws; /sub does peer.subscribe, /pub peer.publish.
import crossws from 'crossws/adapters/deno'

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
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, (req, info) => {
  const { pathname } = new URL(req.url)
  if (pathname === '/gc') (globalThis as { gc?: () => void }).gc?.()
  if (pathname === '/ws' || pathname === '/sub' || pathname === '/pub') return ws.handleUpgrade(req, info)
  return new Response(null, { status: pathname === '/health' || pathname === '/gc' ? 200 : 404 })
})
