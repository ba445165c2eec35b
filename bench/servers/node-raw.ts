// The raw runtime: Node's http server and `ws`, no Hono. /ws echoes; /sub joins a set of subscribers; a message on
// /pub is sent to each of them in a loop (`ws` has no pub/sub of its own).
import { createServer } from 'node:http'
import { type WebSocket, WebSocketServer } from 'ws'

const wss = new WebSocketServer({ noServer: true })
const subscribers = new Set<WebSocket>()
const server = createServer((req, res) => {
  // /gc collects garbage (node --expose-gc) so the runner's memory reading counts live connections, not garbage.
  if (req.url === '/gc') (globalThis as { gc?: () => void }).gc?.()
  res.writeHead(req.url === '/health' || req.url === '/gc' ? 200 : 404).end()
})
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (req.url === '/sub') {
      subscribers.add(ws)
      ws.on('close', () => subscribers.delete(ws))
    } else if (req.url === '/pub')
      ws.on('message', (data, isBinary) => {
        for (const s of subscribers) s.send(data, { binary: isBinary })
      })
    else ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
  })
})
server.listen(Number(process.env.PORT), '127.0.0.1')
