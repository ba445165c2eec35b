// Deno.upgradeWebSocket's own servers, as servers/deno-raw.ts serves them: /ws echoes; /sub joins a set of
// subscribers; a message on /pub is sent to each of them in a loop.
export function serve(port: number): number {
  const subscribers = new Set<WebSocket>()
  return Deno.serve({ port, hostname: '127.0.0.1', onListen: () => {} }, (req) => {
    const { pathname } = new URL(req.url)
    if (pathname !== '/ws' && pathname !== '/sub' && pathname !== '/pub') return new Response('ok')
    const { socket, response } = Deno.upgradeWebSocket(req)
    socket.binaryType = 'arraybuffer'
    if (pathname === '/sub') {
      socket.onopen = () => subscribers.add(socket)
      socket.onclose = () => subscribers.delete(socket)
    } else if (pathname === '/pub')
      socket.onmessage = (e) => {
        for (const s of subscribers) s.send(e.data)
      }
    else socket.onmessage = (e) => socket.send(e.data)
    return response
  }).addr.port
}
