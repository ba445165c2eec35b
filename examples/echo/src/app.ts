import type { UpgradeWebSocket } from '@honokit/ws-node'
import type { Hono } from 'hono'
import { html } from 'hono/html'

/** A runtime-free echo app: a page at `/` and a WebSocket at `/ws` that echoes and counts messages. */
export function createEchoApp(app: Hono, upgradeWebSocket: UpgradeWebSocket<any, any>): Hono {
  app.get(
    '/ws',
    upgradeWebSocket(() => {
      let count = 0
      return {
        onOpen: (_evt, ws) => ws.send('connected: send anything, it comes back'),
        onMessage: (evt, ws) =>
          ws.send(`#${++count}: ${typeof evt.data === 'string' ? evt.data : '(binary)'}`),
      }
    })
  )
  app.get('/', (c) =>
    c.html(html`<!doctype html>
<html lang="en">
  <meta charset="utf-8" />
  <title>honokit ws echo</title>
  <style>
    body { font: 16px system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
    #log { border: 1px solid #ccc; padding: .5rem; min-height: 10rem; white-space: pre-wrap; }
  </style>
  <h1>honokit ws echo</h1>
  <p>State: <b id="state">connecting</b></p>
  <form id="f"><input id="text" autofocus placeholder="type a message" /> <button>Send</button></form>
  <div id="log"></div>
  <script>
    const log = (line) => (document.getElementById('log').textContent += line + '\\n')
    const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/ws')
    const state = (s) => (document.getElementById('state').textContent = s)
    ws.onopen = () => state('open')
    ws.onclose = (e) => state('closed (' + e.code + ')')
    ws.onmessage = (e) => log('← ' + e.data)
    document.getElementById('f').onsubmit = (e) => {
      e.preventDefault()
      const input = document.getElementById('text')
      ws.send(input.value)
      log('→ ' + input.value)
      input.value = ''
    }
  </script>
</html>`)
  )
  return app
}
