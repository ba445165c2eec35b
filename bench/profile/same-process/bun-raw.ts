// Bun.serve's own servers, as servers/bun-raw.ts serves them: /ws echoes; /sub joins topic 't'; a message on /pub
// goes to every subscriber through Bun's native server.publish.
export function serve(port: number): number {
  const server = Bun.serve<{ path: string }>({
    port,
    hostname: '127.0.0.1',
    fetch(req, server) {
      const path = new URL(req.url).pathname
      if ((path === '/ws' || path === '/sub' || path === '/pub') && server.upgrade(req, { data: { path } }))
        return undefined
      return new Response('ok')
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
  return server.port
}
