// Echo on the raw runtime: Bun.serve and its websocket handler, no Hono.
Bun.serve({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  fetch(req, server) {
    const { pathname } = new URL(req.url)
    if (pathname === '/ws' && server.upgrade(req)) return undefined
    if (pathname === '/gc') Bun.gc(true)
    return new Response(null, { status: pathname === '/health' || pathname === '/gc' ? 200 : 404 })
  },
  websocket: {
    message(ws, message) {
      ws.send(message)
    },
  },
})
