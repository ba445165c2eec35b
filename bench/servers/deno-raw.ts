// Echo on the raw runtime: Deno.serve and Deno.upgradeWebSocket, no Hono.
Deno.serve({ port: Number(Deno.env.get('PORT')), hostname: '127.0.0.1', onListen: () => {} }, (req) => {
  const { pathname } = new URL(req.url)
  if (pathname === '/gc') (globalThis as { gc?: () => void }).gc?.()
  if (pathname !== '/ws')
    return new Response(null, { status: pathname === '/health' || pathname === '/gc' ? 200 : 404 })
  const { socket, response } = Deno.upgradeWebSocket(req)
  socket.binaryType = 'arraybuffer'
  socket.onmessage = (e) => socket.send(e.data)
  return response
})
