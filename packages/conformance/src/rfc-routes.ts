import type { WSEvents } from '@honokit/ws-core'
import type { Hono } from 'hono'
import type { ConformanceHelper } from './app.ts'

type Recording = (id: string, extra?: Partial<WSEvents<any>>) => WSEvents<any>

/** Routes of the RFC 6455 section (RF scenarios): limits for raw frames, compression, a server that closes first. */
export function addRfcRoutes(
  app: Hono,
  helper: ConformanceHelper,
  recording: Recording,
  idOf: (url: string) => string
): void {
  const { upgradeWebSocket } = helper

  // maxPayload 16 KiB on one route (issue input 3: a 20 KiB frame).
  app.get(
    '/ws/rf/16k',
    upgradeWebSocket((c) => recording(idOf(c.req.url)), { maxPayload: 16 * 1024 })
  )

  // Echo with an explicit compress flag: 'c:' + text is sent back with { compress: true }, 'u:' + text without.
  app.get(
    '/ws/rf/compress',
    upgradeWebSocket((c) =>
      recording(idOf(c.req.url), {
        onMessage(e, ws) {
          const text = typeof e.data === 'string' ? e.data : ''
          if (text.startsWith('c:')) ws.send(text.slice(2), { compress: true })
          else if (text.startsWith('u:')) ws.send(text.slice(2), { compress: false })
          else ws.send(e.data)
        },
      })
    )
  )

  // The server closes on the first message with ?code= (and ?reason=), then records what it still receives.
  app.get(
    '/ws/rf/close-on-message',
    upgradeWebSocket((c) => {
      const code = Number(c.req.query('code') ?? 1000)
      const reason = c.req.query('reason') ?? ''
      let closed = false
      return recording(idOf(c.req.url), {
        onMessage(_e, ws) {
          if (closed) return
          closed = true
          ws.close(code, reason)
        },
      })
    })
  )
}
