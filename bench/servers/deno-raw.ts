// The raw runtime: Deno.serve and Deno.upgradeWebSocket, no Hono. /ws echoes; /sub joins a set of subscribers; a
// message on /pub is sent to each of them in a loop (Deno has no pub/sub of its own).
const subscribers = new Set<WebSocket>()
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, (req) => {
  const { pathname } = new URL(req.url)
  if (pathname === '/gc') (globalThis as { gc?: () => void }).gc?.()
  if (pathname !== '/ws' && pathname !== '/sub' && pathname !== '/pub')
    return new Response(null, { status: pathname === '/health' || pathname === '/gc' ? 200 : 404 })
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
})
