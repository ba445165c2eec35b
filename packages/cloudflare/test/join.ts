// A WebSocket client for the Cloudflare tests: messages as text in order, awaitable, and the close it saw.
import WebSocket from 'ws'

export interface Client {
  ws: WebSocket
  inbox: string[]
  next(): Promise<string>
  closed: Promise<{ code: number; reason: string }>
}

/** Opens `ws://127.0.0.1:port` + `path`; rejects on an error or a refused handshake (with its status). */
export function join(port: number, path: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    // closeTimeout exists in ws 8.23 but not yet in @types/ws 8.18: end TCP 2 s after a finished closing handshake.
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
      closeTimeout: 2000,
    } as WebSocket.ClientOptions)
    const inbox: string[] = []
    const waiters: (() => void)[] = []
    ws.on('message', (d) => {
      inbox.push(d.toString())
      for (const w of waiters.splice(0)) w()
    })
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: reason.toString() }))
    )
    const next = async () => {
      while (inbox.length === 0) await new Promise<void>((r) => waiters.push(r))
      return inbox.shift()!
    }
    ws.on('open', () => resolve({ ws, inbox, next, closed }))
    ws.on('error', reject)
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}
