// Bun.serve's own echo, as servers/bun-raw.ts serves /ws.
export function serve(port: number): number {
  return Bun.serve({
    port,
    hostname: '127.0.0.1',
    fetch(req, server) {
      if (new URL(req.url).pathname === '/ws' && server.upgrade(req)) return undefined
      return new Response('ok')
    },
    websocket: {
      message(ws, message) {
        ws.send(message)
      },
    },
  }).port
}
