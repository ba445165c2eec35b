// crossws on Node (its Node adapter on an http server, without Hono): echo on /ws; /sub does peer.subscribe,
// /pub peer.publish.
import { createServer } from 'node:http'
import crossws from 'crossws/adapters/node'

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
const server = createServer((req, res) => {
  if (req.url === '/gc') (globalThis as { gc?: () => void }).gc?.()
  res.writeHead(req.url === '/health' || req.url === '/gc' ? 200 : 404).end()
})
server.on('upgrade', (req, socket, head) => {
  if (req.url === '/ws' || req.url === '/sub' || req.url === '/pub') ws.handleUpgrade(req, socket, head)
  else socket.destroy()
})
server.listen(Number(process.env.PORT), '127.0.0.1')
