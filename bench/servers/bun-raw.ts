// The raw runtime: Bun.serve and its websocket handler, no Hono. /ws echoes; /sub joins topic 't'; a message on /pub
// goes to every subscriber through Bun's native server.publish.
const server = Bun.serve<{ path: string }>({
  port: Number(process.env.PORT),
  hostname: '127.0.0.1',
  fetch(req, server) {
    const path = new URL(req.url).pathname
    if ((path === '/ws' || path === '/sub' || path === '/pub') && server.upgrade(req, { data: { path } }))
      return undefined
    if (path === '/gc') Bun.gc(true)
    return new Response(null, { status: path === '/health' || path === '/gc' ? 200 : 404 })
  },
  websocket: {
    open(ws) {
      if (ws.data.path === '/sub') ws.subscribe('t')
    },
    message(ws, message) {
      if (ws.data.path === '/pub') server.publish('t', message)
      else ws.send(message)
    },
  },
})
