import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'
import WebSocket from 'ws'

/** Starts `app` on a free port of 127.0.0.1; returns the server and its port. */
export async function listen(app: Hono) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((r) => server.once('listening', r))
  return { server, port: (server.address() as AddressInfo).port }
}

/** Opens a client, sends `text`, resolves with the first reply (or the refusal status and body). */
export function exchange(url: string, text: string, protocols: string[] = []) {
  return new Promise<{ reply?: string; status?: number; body?: string; protocol?: string }>(
    (resolve, reject) => {
      const ws = new WebSocket(url, protocols)
      ws.on('open', () => ws.send(text))
      ws.on('message', (d) => {
        resolve({ reply: d.toString(), protocol: ws.protocol })
        ws.close()
      })
      ws.on('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d))
        res.on('end', () => resolve({ status: res.statusCode, body }))
      })
      ws.on('error', reject)
    }
  )
}
