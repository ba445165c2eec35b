// Echo on the raw runtime: Node's http server and `ws`, no Hono. The baseline the other Node servers are measured by.
import { createServer } from 'node:http'
import { WebSocketServer } from 'ws'

const wss = new WebSocketServer({ noServer: true })
const server = createServer((req, res) => {
  // /gc collects garbage (node --expose-gc) so the runner's memory reading counts live connections, not garbage.
  if (req.url === '/gc') (globalThis as { gc?: () => void }).gc?.()
  res.writeHead(req.url === '/health' || req.url === '/gc' ? 200 : 404).end()
})
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
  })
})
server.listen(Number(process.env.PORT), '127.0.0.1')
